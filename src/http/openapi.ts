/** OpenAPI 3.1, generated from the same route schemas that validate requests. */
import type { SwaggerOptions } from '@fastify/swagger';
import type { Config } from '../config.ts';
import { withExamples } from './openapi-examples.ts';

export function openapiOptions(config: Config): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Flowyte integrations API',
        version: '1.0.0',
        description:
          'Connect business systems once and serve them as typed skills to AI agents. Every authenticated ' +
          'operation lists its one required scope in `x-required-scope`. Errors are RFC 9457 problem+json.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'flowyte_sk_live_… API key' },
        },
      },
    },
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
