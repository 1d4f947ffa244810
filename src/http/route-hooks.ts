/** Hooks given to single routes as they are registered (from an onRoute hook), after their own. */
import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preHandler' | 'onSend' | 'onResponse';

export function appendRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const hooks = route as unknown as Record<string, unknown>;
  hooks[name] = hooks[name] ? [...[hooks[name]].flat(), hook] : [hook];
}
