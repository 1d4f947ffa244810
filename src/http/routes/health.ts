import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { ready } from '../../store/db.ts';
import type { TypedApp } from '../typed-app.ts';

export const healthRoutes = (services: Services) => async (app: TypedApp) => {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { summary: 'Liveness', tags: ['health'] } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    { config: { public: true }, schema: { summary: 'Readiness: the store answers', tags: ['health'] } },
    async () => {
      // Bounded (1.5 s) whatever the store does: a load balancer must hear "not ready", not wait.
      if (!(await ready(services.store)))
        throw new AppError('unavailable', 'the store is not reachable', { retryAfter: 5 });
      return { status: 'ready' };
    },
  );
};
