/** Prometheus scrape endpoint: this process's metrics (no organization's data; see src/metrics.ts). */
import type { Services } from '../../services.ts';
import type { TypedApp } from '../typed-app.ts';

export const metricsRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/metrics',
    {
      config: { scope: 'metrics:read' },
      schema: {
        tags: ['health'],
        summary:
          'Prometheus text format: request and invoke latency, provider errors, token refreshes, pools, event-loop delay',
        produces: ['text/plain'],
      },
    },
    async (_req, reply) => reply.type(s.metrics.contentType).send(await s.metrics.text()),
  );
};
