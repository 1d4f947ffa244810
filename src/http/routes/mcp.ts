/**
 * An agent's live tools as a Model Context Protocol server over Streamable HTTP. Stateless: each
 * POST gets a fresh server bound to the caller's organization, so any instance can answer it.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { toolDefinition } from '../../core/tool-table.ts';
import { isAppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { AgentParams } from './agent-schemas.ts';

function mcpServer(s: Services, orgId: string, agentId: string, requestId: string): Server {
  const server = new Server({ name: 'flowyte', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const table = await s.runtime.table(orgId, agentId, false);
    return { tools: [...table.tools.values()].map((t) => toolDefinition(t.skill, 'mcp') as any) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { confirmed, callerVerified, ...args } = (request.params.arguments ?? {}) as Record<
      string,
      unknown
    >;
    try {
      const { result } = await s.runtime.invoke(
        orgId,
        agentId,
        request.params.name,
        {
          arguments: args,
          confirmed: confirmed === true,
          callerVerified: callerVerified === true,
        },
        { requestId },
      );
      return { content: [{ type: 'text', text: JSON.stringify(result) }] };
    } catch (e) {
      // Tool failures are results the model can read and act on, not protocol errors.
      const text = isAppError(e) ? `${e.code}: ${e.message}` : 'internal_error: the tool failed';
      return { content: [{ type: 'text', text }], isError: true };
    }
  });
  return server;
}

export const mcpRoutes = (s: Services) => async (app: FastifyInstance) => {
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
      const server = mcpServer(s, orgId, req.params.id, req.id);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.hijack();
      reply.raw.on('close', () => {
        transport.close().catch(() => {});
        server.close().catch(() => {});
      });
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    },
  );
};
