/**
 * An agent's live tools as a Model Context Protocol server over Streamable HTTP. Stateless: each
 * POST gets a fresh server bound to the caller's organization, so any instance can answer it.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { AgentParams } from './agent-schemas.ts';

const isMessage = (m: unknown) =>
  m !== null &&
  typeof m === 'object' &&
  !Array.isArray(m) &&
  (m as { jsonrpc?: unknown }).jsonrpc === '2.0' &&
  (typeof (m as { method?: unknown }).method === 'string' || 'result' in m || 'error' in m);

/**
 * What the transport would refuse with a JSON-RPC error body, refused first as problem+json so every
 * 4xx of the API reads the same (SPEC §1).
 */
function checkMcpRequest(accept: string | undefined, body: unknown): void {
  const a = String(accept ?? '');
  // The transport insists on both, by name (a wildcard is not enough for it).
  if (!/application\/json/i.test(a) || !/text\/event-stream/i.test(a))
    throw new AppError(
      'not_acceptable',
      'an MCP client must accept both application/json and text/event-stream (Streamable HTTP)',
    );
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || !messages.every(isMessage))
    throw new AppError('validation_error', 'the body is not a JSON-RPC 2.0 message (or a batch of them)', {
      errors: [{ field: 'body', message: 'must be a JSON-RPC 2.0 request, notification or response' }],
    });
}

export const mcpRoutes = (s: Services) => async (app: FastifyInstance) => {
  // Stateless: no server-sent stream to open (GET) and no session to end (DELETE).
  for (const method of ['GET', 'DELETE'] as const) {
    app.route<{ Params: { id: string } }>({
      method,
      url: '/agents/:id/mcp',
      config: { scope: 'skills:invoke' },
      schema: {
        tags: ['runtime'],
        summary: `MCP: ${method} is not used (stateless server); 405`,
        params: AgentParams,
      },
      handler: async (req, reply) => {
        await s.agents.row(orgOf(req), req.params.id);
        reply.header('allow', 'POST');
        throw new AppError(
          'method_not_allowed',
          'this MCP server is stateless: send JSON-RPC messages with POST',
        );
      },
    });
  }

  app.post<{ Params: { id: string } }>(
    '/agents/:id/mcp',
    {
      config: { scope: 'skills:invoke' },
      schema: {
        tags: ['runtime'],
        summary: "The agent's live tools as an MCP server (Streamable HTTP, stateless, JSON responses)",
        params: AgentParams,
      },
    },
    async (req, reply) => {
      const orgId = orgOf(req);
      // Resolve the agent first so an unknown or foreign agent is a plain 404 problem.
      await s.runtime.table(orgId, req.params.id, false);
      checkMcpRequest(req.headers.accept, req.body);
      // The MCP SDK loads on the first MCP request, not at start (it is most of a second of imports).
      const { serveMcp } = await import('../mcp-server.ts');
      reply.hijack();
      await serveMcp(s, { orgId, agentId: req.params.id, requestId: req.id }, req.raw, reply.raw, req.body);
    },
  );
};
