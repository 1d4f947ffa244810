/** `/`: a small landing page until the dashboard ships, pointing a new user at the docs. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';

const page = (sandbox: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flowyte integrations</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style>
</head><body>
<h1>Flowyte integrations</h1>
<p>The server is running. Everything is driven through the HTTP API:</p>
<ul>
<li><a href="/docs">API reference</a> (OpenAPI at <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>)</li>
<li>Mint a key: <code>npx flowyte keys create --org acme --scopes integrations:read,integrations:write,agents:read,agents:write,skills:write,skills:invoke</code></li>
<li>Health: <a href="/healthz"><code>/healthz</code></a>, readiness: <a href="/readyz"><code>/readyz</code></a></li>
</ul>
${sandbox ? '<p>Sandbox mode: Google and Shopify are served by the built-in fakes under <code>/sandbox/google</code> and <code>/sandbox/shopify</code> (shop <code>flowyte-demo.myshopify.com</code>, token <code>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</code>); no accounts or network needed.</p>' : ''}
<p>The operator dashboard is not part of this release yet.</p>
</body></html>`;

export const homeRoutes = (s: Services) => async (app: FastifyInstance) => {
  const html = page(s.config.sandbox);
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(html),
  );
};
