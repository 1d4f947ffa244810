/**
 * `/errors/<code>`: the page each problem's `type` points at (SPEC §1) — what the code means and how
 * to recover. Public, like the docs. `/errors` lists them all; JSON to clients that ask for it.
 */

import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, type ErrorCode, titleOf } from '../../errors.ts';
import type { TypedApp } from '../typed-app.ts';

/** [what it means, how to recover], for every code the server can answer. */
export const ERROR_DOCS: Record<ErrorCode, [string, string]> = {
  validation_error: [
    'The request is malformed: wrong JSON, a wrong type, a missing or unknown field.',
    'Read errors[]: one entry per field. Fix them and send again.',
  ],
  organization_header_not_allowed: [
    'An API key already determines the organization; X-Organization-Id belongs to dashboard sessions.',
    'Remove the X-Organization-Id header.',
  ],
  credentials_conflict: [
    'The request carries both an API key and a dashboard session cookie.',
    'Send one: the Authorization header from scripts, or the session cookie from the dashboard.',
  ],
  csrf_token_invalid: [
    "A dashboard session's write came without its CSRF token (X-CSRF-Token), or with another session's.",
    'Read the token from GET /api/v1/session and send it in X-CSRF-Token with every write.',
  ],
  host_not_allowed: [
    "A browser-reachable route (a dashboard session, the session routes, MCP) was called under a name that is not this server's: a DNS rebinding attempt, or a public URL not configured.",
    'Call the server by the host of FLOWYTE_PUBLIC_URL (or a loopback name), or set FLOWYTE_PUBLIC_URL to the name clients use.',
  ],
  oauth_state_invalid: [
    'The OAuth state is unknown, already used or expired (10 minutes).',
    'Start the connection again with POST /integrations/{kind}/connect.',
  ],
  oauth_exchange_failed: [
    "The provider would not redeem the authorization code, or its answer failed a check (an ID token's issuer).",
    'Start the connection again; check the OAuth app credentials, and the issuer setting (FLOWYTE_GOOGLE_ISSUER) when the authorization server is not Google.',
  ],
  unauthorized: [
    'No API key, or one that is unknown, revoked or expired.',
    'Send "Authorization: Bearer flowyte_sk_live_…" with a live key.',
  ],
  insufficient_scope: [
    'The key lacks the scope this route requires (named in `scope`). A :write scope implies its :read.',
    'Use a key holding that scope, or create one with it.',
  ],
  provider_reserved: [
    'The provider is reserved (coming soon) and cannot be used yet.',
    'Use a live provider from GET /integrations/catalog.',
  ],
  verification_required: [
    "The skill needs the caller's identity verified.",
    'The host application verifies the caller, then calls again with callerVerified: true (over MCP: the Flowyte-Caller-Verified header); never the model.',
  ],
  oauth_denied: [
    'The user declined consent at the provider.',
    'Start the connection again and allow access.',
  ],
  oauth_scope_missing: [
    'The user granted fewer permissions than the integration needs.',
    'Start the connection again and grant every requested permission.',
  ],
  reserved: [
    'The endpoint or value is reserved in the contract but not served by this server.',
    'Nothing to retry: use the documented alternative (e.g. the tools endpoints instead of simulate).',
  ],
  not_found: [
    'No such resource in your organization, or no such route.',
    'Check the id and path; resources of other organizations look nonexistent.',
  ],
  provider_not_found: ['No provider has this kind.', 'Use a kind from GET /integrations/catalog.'],
  not_discovered: [
    'The integration has not been discovered yet.',
    'Run POST /integrations/{kind}/discover first.',
  ],
  no_pack: ['The provider ships no connector pack.', 'Provision its actions or bind its operations instead.'],
  sheet_not_accessible: [
    'The spreadsheet does not exist or the connected account cannot open it.',
    'Share the spreadsheet with the connected account, or check the URL.',
  ],
  method_not_allowed: ['The route does not accept this method.', 'Use a method the route documents.'],
  not_acceptable: [
    'The route cannot answer in a media type the Accept header allows.',
    'Send an Accept header the route serves (MCP: application/json and text/event-stream).',
  ],
  conflict: ['The request conflicts with a concurrent change.', 'Retry.'],
  integration_not_connected: [
    'The provider is not connected for your organization.',
    'Connect it with POST /integrations/{kind}/connect.',
  ],
  no_published_version: [
    'The agent has never been published, so nothing is live.',
    'Publish it (POST /agents/{id}/publish) or use the draft for testing.',
  ],
  idempotency_key_reused: [
    'This Idempotency-Key was used with a different request.',
    'Use a new key for a new request.',
  ],
  idempotency_in_progress: [
    'A request with this Idempotency-Key is still running.',
    'Wait a moment and retry with the same key.',
  ],
  needs_reconnect: [
    'The stored credentials stopped working (revoked or expired).',
    'Reconnect the provider.',
  ],
  confirmation_required: [
    'The skill changes data and needs the caller to confirm.',
    'Read the change back to the caller; once they agree, the host application (never the model) calls again with confirmed: true. Over MCP the call answers a confirmation token instead, which the host redeems.',
  ],
  confirmation_invalid: [
    'The confirmation token is unknown, used, expired, or was issued for another call, conversation or live version.',
    'Do not retry it: let the agent make the call again to get a fresh token, and redeem that one with the same arguments.',
  ],
  slot_unavailable: ['The requested time is no longer free.', 'Check availability and offer another time.'],
  revision_mismatch: [
    'If-Match named a stale agent version; someone else changed it.',
    'Take the current version and agent from the problem, re-apply your edit, and retry.',
  ],
  skill_name_taken: ['The agent already has a skill with this tool name.', 'Choose another name.'],
  skill_needs_review: [
    "The operator's scoping now blocks an object or field this skill's binding uses.",
    'An operator saves its binding again (PUT /agents/{id}/skills/{skillId}/binding) within the scoping, or removes the skill; the agent should not retry.',
  ],
  invocation_in_progress: [
    'A non-parallelizable skill is already running in this conversation.',
    'Wait for it to finish, then call again.',
  ],
  payload_too_large: ['The request body is larger than the server accepts.', 'Send a smaller body.'],
  unsupported_media_type: ['The body is not JSON.', 'Send Content-Type: application/json.'],
  credentials_rejected: [
    'The provider refused the credentials, or the host is not allowed.',
    'Check them (POST /integrations/{kind}/sql/test for databases) and connect again.',
  ],
  binding_invalid: [
    'The binding does not fit the discovered schema.',
    'Read errors[]: one entry per problem. Fix the binding and send again.',
  ],
  goal_not_mappable: [
    'Auto-map found no reading of the goal it is confident enough to save (below FLOWYTE_AUTOMAP_MIN_CONFIDENCE), or none at all. `candidates` ranks what it considered, with their confidence and binding; a lookup column without an index comes with the `createIndex` statement that would make it bindable.',
    'Rephrase the goal (name the object, say "by <column>" and what to return), create the index it names and discover again, pick a candidate and save it by hand, or write the binding yourself.',
  ],
  unknown_action: [
    'The provider has no action with this slug.',
    'Use a slug from GET /integrations/{kind}/actions.',
  ],
  unsupported_skill_type: [
    'This server cannot run skills of this type.',
    'Use one of the types the problem lists (supportedTypes).',
  ],
  write_not_applied: ['The provider did not apply the write.', 'Check the arguments and try again.'],
  rate_limited: ['Too many requests for your organization.', 'Wait for Retry-After seconds, then retry.'],
  internal_error: [
    'An unexpected error occurred on the server.',
    'Retry later; the request id identifies it in the logs.',
  ],
  provider_error: [
    'The provider failed.',
    'Retry when `retryable` is true; `mayHaveApplied` says whether a write may have happened.',
  ],
  unavailable: ['The server or its store is not available.', 'Retry after Retry-After seconds.'],
  provider_timeout: [
    'The provider did not answer in time.',
    'Retry; for writes check `mayHaveApplied` first.',
  ],
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const view = (code: ErrorCode) => ({
  code,
  status: ERROR_STATUS[code],
  title: titleOf(code),
  meaning: ERROR_DOCS[code][0],
  recovery: ERROR_DOCS[code][1],
});

const wantsJson = (req: FastifyRequest) =>
  /\bapplication\/(problem\+)?json\b/i.test(String(req.headers.accept ?? '')) &&
  !/\btext\/html\b/i.test(String(req.headers.accept ?? ''));

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Flowyte errors</title>` +
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2328}code{background:#f3f3f3;padding:.1rem .3rem}</style>' +
  `</head><body>${body}</body></html>`;

export const errorPageRoutes = () => async (app: TypedApp) => {
  const codes = Object.keys(ERROR_STATUS) as ErrorCode[];
  app.get('/errors', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (wantsJson(req)) return { success: true, data: codes.map(view) };
    const rows = codes
      .map(
        (c) =>
          `<li><a href="/errors/${c}"><code>${c}</code></a> (${ERROR_STATUS[c]}): ${escapeHtml(ERROR_DOCS[c][0])}</li>`,
      )
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Error codes', `<h1>Error codes</h1><ul>${rows}</ul>`));
  });
  app.get(
    '/errors/:code',
    { config: { public: true }, schema: { hide: true, params: Type.Object({ code: Type.String() }) } },
    async (req, reply) => {
      const code = req.params.code.replace(/-/g, '_') as ErrorCode;
      if (!Object.hasOwn(ERROR_STATUS, code)) throw new AppError('not_found', 'no such error code');
      const v = view(code);
      if (wantsJson(req)) return { success: true, data: v };
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(
            v.title,
            `<h1><code>${code}</code> · ${v.status} ${escapeHtml(v.title)}</h1>` +
              `<h2>What it means</h2><p>${escapeHtml(v.meaning)}</p>` +
              `<h2>How to recover</h2><p>${escapeHtml(v.recovery)}</p>` +
              '<p><a href="/errors">All error codes</a></p>',
          ),
        );
    },
  );
};
