/**
 * Every route the app registers, seen through an `onRoute` hook added the moment Fastify builds the
 * instance. Test files wire it up with:
 *
 *   const routes = vi.hoisted(() => [] as CollectedRoute[]);
 *   vi.mock('fastify', async (orig) => (await import('./support/routes.ts')).withRouteCollector(orig, routes));
 */
import type { FastifyInstance } from 'fastify';

export interface CollectedRoute {
  method: string;
  url: string;
  config: { scope?: string; public?: boolean };
  schema: Record<string, any> | undefined;
}

export async function withRouteCollector(importOriginal: () => Promise<unknown>, sink: CollectedRoute[]) {
  const real = (await importOriginal()) as { default: (opts?: unknown) => FastifyInstance };
  const wrapped = (opts?: unknown) => {
    const app = real.default(opts);
    sink.length = 0; // one app per test file: its routes only
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        sink.push({
          method,
          url: route.url,
          config: (route.config ?? {}) as CollectedRoute['config'],
          schema: route.schema as any,
        });
      }
    });
    return app;
  };
  return { ...real, default: wrapped, fastify: wrapped };
}

/** The API routes a client calls (HEAD twins of GET routes are left out). */
export const apiRoutes = (routes: CollectedRoute[]) =>
  routes.filter((r) => r.url.startsWith('/api/v1') && r.method !== 'HEAD');

/** `/agents/:id/skills/:skillId` → the parameter names in order. */
export const paramNames = (url: string): string[] => [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);

export const fillPath = (url: string, values: Record<string, string>): string =>
  url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? `missing_${name}`),
  );

/**
 * A small body that satisfies a route's JSON Schema (required members only), so a request gets past
 * validation to the authorization or lookup under test.
 */
export function sampleFromSchema(schema: any, depth = 0): unknown {
  if (!schema || depth > 6) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const k of ['anyOf', 'oneOf'])
    if (Array.isArray(schema[k])) return sampleFromSchema(schema[k][0], depth + 1);
  if (Array.isArray(schema.allOf)) return sampleFromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? [])
        out[name] = sampleFromSchema(schema.properties?.[name], depth + 1) ?? 'x';
      // PATCH bodies often require "at least one member": add optional ones until satisfied.
      for (const [name, sub] of Object.entries(schema.properties ?? {})) {
        if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
        if (!(name in out)) out[name] = sampleFromSchema(sub, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleFromSchema(schema.items, depth + 1));
    case 'string':
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/';
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'sample'.padEnd(schema.minLength ?? 0, 'x');
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return undefined;
  }
}
