import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { ping } from '../../store/db.ts';
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
      try {
        await ping(services.store);
      } catch {
        throw new AppError('unavailable', 'the store is not reachable', { retryAfter: 5 });
      }
      return { status: 'ready' };
    },
  );
};
