/** OpenAPI 3.1, generated from the same route schemas that validate requests. */
import type { SwaggerOptions } from '@fastify/swagger';
import type { Config } from '../config.ts';
import type { ProviderModule } from '../providers/types.ts';
import { finishDocument } from './openapi-document.ts';
import { withExamples } from './openapi-examples.ts';

/** The intro `/docs` opens with: what this is, the first calls, where errors are explained. */
const intro = (publicUrl: string) =>
  `Connect business systems once (Google Calendar and Sheets, Shopify, PostgreSQL, MySQL) and serve them as typed skills — tool calls — to your AI phone and chat agents.

**First calls**
1. Create a key: \`npx flowyte keys create --org acme --scopes integrations:write,agents:write,skills:write,skills:invoke\`, then send it as \`Authorization: Bearer flowyte_sk_live_…\`.
2. \`GET /api/v1/integrations/catalog\` lists what can be connected; \`POST /api/v1/integrations/{kind}/connect\` connects one (credentials are checked live; OAuth kinds answer with a URL to open).
3. \`POST /api/v1/integrations/{kind}/discover\`, then provision actions, install a pack, or bind a discovered operation onto an agent's draft.
4. \`POST /api/v1/agents/{id}/publish\`, then serve the live tools: \`GET /api/v1/agents/{id}/tools\` and \`POST /api/v1/agents/{id}/tools/{name}/invoke\`, or MCP at \`/api/v1/agents/{id}/mcp\`.

No accounts at hand? \`npm run demo\` starts the server with built-in fakes of Google and Shopify.

**Conventions.** Success is \`{ "success": true, "data": … }\`; lists add \`nextCursor\` (\`?limit=\`, \`?cursor=\`). Every authenticated operation names its one required scope in \`x-required-scope\`. Mutating POSTs accept \`Idempotency-Key\`.

**Errors** are RFC 9457 problem+json with a stable \`code\`; each operation lists the codes it can answer (\`x-error-codes\`), and [the error catalogue](${publicUrl}/errors) explains every code and how to recover.`;

export function openapiOptions(config: Config, providers: ProviderModule[] = []): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Flowyte integrations API',
        version: '1.0.0',
        description: intro(config.publicUrl),
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'flowyte_sk_live_… API key' },
        },
      },
    },
    transformObject: (doc) =>
      'openapiObject' in doc
        ? (finishDocument(
            doc.openapiObject as Record<string, any>,
            providers,
            `${config.publicUrl}/errors/`,
          ) as any)
        : doc.swaggerObject,
    transform: ({ schema, url, route }) => {
      const cfg = (route.config ?? {}) as { scope?: string; public?: boolean };
      const method = String(Array.isArray(route.method) ? route.method[0] : route.method);
      const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const out: Record<string, unknown> = withExamples({ ...(schema as object) }, `${method} ${path}`);
      if (cfg.scope) {
        out.security = [{ apiKey: [] }];
        out['x-required-scope'] = cfg.scope;
        const scopeNote = `Requires scope \`${cfg.scope}\`.`;
        out.description = out.description ? `${out.description}\n\n${scopeNote}` : scopeNote;
      } else {
        out.security = [];
      }
      return { schema: out as any, url };
    },
  };
}
