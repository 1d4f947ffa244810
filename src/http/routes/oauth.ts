/**
 * GET /integrations/oauth/callback: where the provider sends the user's browser back. No key: the
 * single-use state authenticates it. Browsers (Accept: text/html) get a small page; scripts get the
 * usual envelope or problem+json. Neither the page nor the log ever shows the code or a token.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { ok } from '../envelope.ts';
import { toAppError } from '../problem.ts';
import { Envelope, problemResponses } from '../schemas.ts';
import type { TypedApp } from '../typed-app.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Flowyte</title>` +
  '<meta name="viewport" content="width=device-width,initial-scale=1">' +
  '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2328}' +
  'h1{font-size:1.4rem}.muted{color:#656d76;font-size:.9rem}</style></head><body>' +
  body +
  '</body></html>';

const connectedPage = (name: string, accountLabel: string) =>
  page(
    'Connected',
    `<h1>${escapeHtml(name)} is connected</h1><p>Signed in as <strong>${escapeHtml(accountLabel)}</strong>.</p>` +
      '<p>You can close this window.</p>',
  );

const errorPage = (err: AppError, requestId: string) =>
  page(
    'Not connected',
    `<h1>Nothing was connected</h1><p>${escapeHtml(err.message)}</p>` +
      `<p class="muted">Error: ${escapeHtml(err.code)} · request ${escapeHtml(requestId)}</p>`,
  );

const wantsHtml = (req: FastifyRequest) => /\btext\/html\b/i.test(String(req.headers.accept ?? ''));

function html(reply: FastifyReply, status: number, body: string) {
  // The page is reached through a URL holding the code: no referrer, no scripts, no caching.
  return reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .type('text/html; charset=utf-8')
    .send(body);
}

export const oauthRoutes = (s: Services) => async (app: TypedApp) => {
  app.get(
    '/integrations/oauth/callback',
    {
      config: { public: true },
      schema: {
        tags: ['integrations'],
        summary: 'Finish an OAuth connection (the provider redirects the browser here)',
        description:
          'Authenticated by its single-use `state`. Answers a small HTML page to browsers (`Accept: text/html`) and JSON otherwise. ' +
          'Refused: an unknown, used or expired state (400 `oauth_state_invalid`), a denied consent (403 `oauth_denied`), ' +
          'missing permissions (403 `oauth_scope_missing`), a code the provider will not redeem (400 `oauth_exchange_failed`).',
        response: {
          200: Envelope(
            Type.Object({
              kind: Type.String(),
              status: Type.Literal('connected'),
              accountLabel: Type.String(),
            }),
          ),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      try {
        const done = await s.oauth.finish(req.query as Record<string, unknown>);
        req.log.info({ kind: done.kind }, 'oauth connection finished');
        if (wantsHtml(req))
          return html(reply, 200, connectedPage(s.integrations.provider(done.kind).name, done.accountLabel));
        return ok({ kind: done.kind, status: 'connected' as const, accountLabel: done.accountLabel });
      } catch (e) {
        if (!wantsHtml(req)) throw e;
        const err = toAppError(e);
        if (err.code === 'internal_error')
          req.log.error({ errName: (e as Error)?.name }, 'oauth callback failed');
        else
          req.log.info({ code: err.code, reason: err.extras.extensions?.reason }, 'oauth callback refused');
        return html(reply, err.status, errorPage(err, req.id));
      }
    },
  );
};
