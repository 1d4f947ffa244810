/**
 * Routes of Flowyte's contract this server does not serve (simulate, knowledge, probes): 403
 * `reserved` — "not in this server" — rather than a 404 that reads like a typo. The agent is looked
 * up first, so another organization's agent is still a plain 404.
 */

import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { orgOf } from '../auth.ts';
import { problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const ALL = ['GET', 'POST', 'PATCH', 'DELETE'] as const;

/**
 * A family and up to three segments below it (`/knowledge/sources/{id}`, `/probe/runs/{runId}/stream`),
 * as named parameters rather than a wildcard so the OpenAPI document can list them.
 */
const family = (base: string, what: string): [readonly string[], string, string][] =>
  ['', '/:p1', '/:p1/:p2', '/:p1/:p2/:p3'].map((tail) => [ALL, `${base}${tail}`, what]);

/** [methods, path, what it is in Flowyte] */
export const RESERVED_ROUTES: [readonly string[], string, string][] = [
  [['POST'], '/agents/:id/simulate', 'streaming simulations of a conversation'],
  ...family('/agents/:id/knowledge', 'knowledge sources and retrieval previews'),
  ...family('/agents/:id/knowledge-gaps', 'knowledge gaps'),
  ...family('/agents/:id/probe', 'probe runs'),
];

/** Every `:name` segment of a path as a string parameter (the OpenAPI document lists each). */
const paramsOf = (url: string) =>
  Type.Object({
    id: Type.String(),
    ...Object.fromEntries([...url.matchAll(/:(p\d)/g)].map((m) => [m[1], Type.String()])),
  });

export const reservedRoutes = (s: Services) => async (app: TypedApp) => {
  for (const [methods, url, what] of RESERVED_ROUTES) {
    for (const method of methods) {
      app.route({
        method,
        url,
        config: { scope: method === 'GET' ? 'agents:read' : 'agents:write' },
        schema: {
          tags: ['reserved'],
          summary: `Reserved: ${what} (403 reserved — not served by this server)`,
          params: paramsOf(url),
          response: problemResponses,
        },
        handler: async (req) => {
          await s.agents.row(orgOf(req), req.params.id);
          throw new AppError('reserved', `reserved: ${what} belong to Flowyte's API but not to this server`, {
            extensions: { reserved: url.replace(/\/:p\d.*$/, '') },
          });
        },
      });
    }
  }
};
