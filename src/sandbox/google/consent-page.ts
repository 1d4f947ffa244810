/** The fake consent screen: pick an account, untick scopes, Allow or Deny. */

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  '<meta name="viewport" content="width=device-width,initial-scale=1">' +
  '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#202124}' +
  'label{display:block;margin:.3rem 0}button{margin:.5rem .5rem 0 0;padding:.5rem 1.2rem}' +
  '.note{color:#5f6368;font-size:.85rem}</style></head><body>' +
  body +
  '</body></html>';

/** Google's "Access blocked" page for requests it will not redirect back. */
export function errorPage(code: number, error: string, description: string): string {
  return page(
    'Error',
    `<h1>Access blocked: Authorization Error</h1><p>${escapeHtml(description)}</p>` +
      `<p><strong>Error ${code}: ${escapeHtml(error)}</strong></p>`,
  );
}

export interface ConsentInput {
  /** The authorize path as requested, so the forms come back to it. */
  action: string;
  /** The original query, replayed as hidden fields. */
  params: Record<string, string>;
  account: string;
  scopes: string[];
}

export function consentPage(input: ConsentInput): string {
  const hidden = Object.entries(input.params)
    .filter(([k]) => !['decision', 'account', 'grant_scopes'].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const scopes = input.scopes
    .map(
      (s) =>
        `<label><input type="checkbox" name="grant_scopes" value="${escapeHtml(s)}" form="allow" checked> ${escapeHtml(s)}</label>`,
    )
    .join('');
  return page(
    'Sign in - Google Accounts (sandbox)',
    '<h1>Flowyte sandbox wants to access your Google Account</h1>' +
      `<form id="allow" method="get" action="${escapeHtml(input.action)}">${hidden}` +
      `<label>Account <input type="email" name="account" value="${escapeHtml(input.account)}" required></label>` +
      `<fieldset><legend>Grant access to</legend>${scopes}</fieldset>` +
      '<button type="submit" name="decision" value="allow">Allow</button></form>' +
      `<form id="deny" method="get" action="${escapeHtml(input.action)}">${hidden}` +
      '<button type="submit" name="decision" value="deny">Deny</button></form>' +
      '<p class="note">This is a local fake of Google; no real account is used.</p>',
  );
}
