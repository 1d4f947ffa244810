/**
 * The MCP server behind POST /agents/{id}/mcp: a fresh stateless server per request, bound to the
 * caller's organization and agent. Loaded by the route on first use (the SDK is slow to import).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toolDefinition } from '../core/tool-table.ts';
import { isAppError } from '../errors.ts';
import type { Services } from '../services.ts';

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

/** Answers one Streamable HTTP request (JSON responses) on the raw response, closing both ends after. */
export async function serveMcp(
  s: Services,
  to: { orgId: string; agentId: string; requestId: string },
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const server = mcpServer(s, to.orgId, to.agentId, to.requestId);
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
