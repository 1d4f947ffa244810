/**
 * The MCP server behind POST /agents/{id}/mcp: a fresh stateless server per request, bound to the
 * caller's organization, agent and session. Loaded by the route on first use (the SDK is slow to
 * import). The gates are the host's: a gated call answers with a confirmation token in the result
 * `_meta` that only the host redeems, over REST with its key.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { PendingCall } from '../core/runtime/index.ts';
import { toolDefinition } from '../core/runtime/index.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Services } from '../services.ts';

/** Request `_meta` key a host sets to make a write idempotent within the session. */
export const IDEMPOTENCY_META = 'io.flowyte/idempotencyKey';
/** Result `_meta` key of a gated call: the token the host redeems (never in the model-visible text). */
export const CONFIRMATION_META = 'io.flowyte/confirmation';
const IDEMPOTENCY_ID = /^[\x21-\x7e]{1,255}$/;

export interface McpContext {
  orgId: string;
  agentId: string;
  requestId: string;
  /** The MCP session (Mcp-Session-Id): the conversation of every call in it. */
  conversationId: string | null;
  callerVerified: boolean;
  /** The HTTP Idempotency-Key of the request, used when a call names no `_meta` idempotency id. */
  idempotencyHeader: string | undefined;
}

function pendingText(p: PendingCall): string {
  const confirm = p.needs.includes('confirmation');
  const verify = p.needs.includes('verification');
  const what = [
    confirm ? "the caller's explicit agreement" : null,
    verify ? 'a caller whose identity the application has verified' : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return `confirmation_needed: ${p.tool} did not run yet. It needs ${what}. ${confirm ? 'Tell the caller exactly what it will do and ask them to agree; ' : ''}the application completes the call, so do not call it again for this.`;
}

function mcpServer(s: Services, c: McpContext): Server {
  const server = new Server({ name: 'flowyte', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const tools = await s.runtime.served(c.orgId, c.agentId);
    return { tools: tools.map((t) => toolDefinition(t.skill, 'mcp') as any) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    // The gates are the host's: flags a model puts in its arguments are dropped, never obeyed.
    const {
      confirmed: _c,
      callerVerified: _v,
      ...args
    } = (request.params.arguments ?? {}) as Record<string, unknown>;
    const idem = request.params._meta?.[IDEMPOTENCY_META] ?? c.idempotencyHeader;
    try {
      if (idem !== undefined && (typeof idem !== 'string' || !IDEMPOTENCY_ID.test(idem)))
        throw new AppError(
          'validation_error',
          `_meta["${IDEMPOTENCY_META}"] must be 1–255 visible ASCII characters`,
        );
      const outcome = await s.modelCalls.call(c.orgId, c.agentId, request.params.name, args, {
        conversationId: c.conversationId,
        callerVerified: c.callerVerified,
        idempotencyKey: idem,
        requestId: c.requestId,
      });
      if ('pending' in outcome) {
        const p = outcome.pending;
        return {
          content: [{ type: 'text', text: pendingText(p) }],
          _meta: {
            [CONFIRMATION_META]: {
              token: p.token,
              tool: p.tool,
              needs: p.needs,
              expiresAt: p.expiresAt,
              conversationId: c.conversationId,
              redeem: `POST /api/v1/agents/${c.agentId}/confirmations`,
            },
          },
        };
      }
      return { content: [{ type: 'text', text: JSON.stringify(outcome.result) }] };
    } catch (e) {
      // Tool failures are results the model can read and act on, not protocol errors.
      const text = isAppError(e) ? `${e.code}: ${e.message}` : 'internal_error: the tool failed';
      return { content: [{ type: 'text', text }], isError: true };
    }
  });
  return server;
}

/** Answers one Streamable HTTP request (JSON responses) on the raw response, closing both ends after. */
export async function serveMcp(
  s: Services,
  c: McpContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const server = mcpServer(s, c);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.on('close', () => {
    transport.close().catch(() => {});
    server.close().catch(() => {});
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
