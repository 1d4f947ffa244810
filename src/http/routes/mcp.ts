/**
 * An agent's live tools as a Model Context Protocol server over Streamable HTTP. Stateless: each
 * POST gets a fresh server bound to the caller's organization, so any instance can answer it.
 * The gates are the host's: a gated call answers with a confirmation token (result `_meta`) that
 * only the host redeems, over REST with its key; a verified caller is the host's header.
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';
import { AgentParams } from './agent-schemas.ts';

/** The header a host sets on its MCP requests once it has verified the caller's identity. */
export const CALLER_VERIFIED_HEADER = 'flowyte-caller-verified';

const SESSION_ID = /^[\x21-\x7e]{1,128}$/;

const isInitialize = (body: unknown) =>
  body !== null && typeof body === 'object' && (body as { method?: unknown }).method === 'initialize';

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

export const mcpRoutes = (s: Services) => async (app: TypedApp) => {
  // Stateless: no server-sent stream to open (GET) and no session to end (DELETE).
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
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

  app.post(
    '/agents/:id/mcp',
    {
      config: { scope: 'skills:invoke' },
      schema: {
        tags: ['runtime'],
        summary: "The agent's live tools as an MCP server (Streamable HTTP, stateless, JSON responses)",
        description:
          'Gated calls do not run: they answer a `confirmation_needed` text and, in the result `_meta["io.flowyte/confirmation"]`, a single-use token the host redeems at POST /agents/{id}/confirmations. `confirmed`/`callerVerified` in tool arguments are dropped. A tool call\'s `_meta["io.flowyte/idempotencyKey"]` makes a write run once per session.',
        params: AgentParams,
        headers: Type.Object({
          [CALLER_VERIFIED_HEADER]: Type.Optional(
            Type.String({
              description:
                "`true` when the host application has verified the caller's identity: skills that need a verified caller then run (writes still need a confirmation token)",
            }),
          ),
          'mcp-session-id': Type.Optional(
            Type.String({
              description: 'The session named at initialize: the conversation of every call in it',
            }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const orgId = orgOf(req);
      // Resolve the agent first so an unknown or foreign agent is a plain 404 problem.
      await s.runtime.table(orgId, req.params.id, false);
      checkMcpRequest(req.headers.accept, req.body);
      // Sessions without server state: a new one is named at initialize, and its id (sent back by
      // the client on every request) is the conversation any instance files the calls under.
      let conversationId: string | null = null;
      const session = req.headers['mcp-session-id'];
      if (isInitialize(req.body)) {
        conversationId = newId('mcs');
        reply.raw.setHeader('mcp-session-id', conversationId);
      } else if (session !== undefined) {
        if (typeof session !== 'string' || !SESSION_ID.test(session))
          throw new AppError('validation_error', 'Mcp-Session-Id must be 1–128 visible ASCII characters');
        conversationId = session;
      }
      const context = {
        orgId,
        agentId: req.params.id,
        requestId: req.id,
        conversationId,
        callerVerified: req.headers[CALLER_VERIFIED_HEADER] === 'true',
        idempotencyHeader:
          typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
      };
      // The MCP SDK loads on the first MCP request, not at start (it is most of a second of imports).
      const { serveMcp } = await import('../mcp-server.ts');
      reply.hijack();
      await serveMcp(s, context, req.raw, reply.raw, req.body);
    },
  );
};
