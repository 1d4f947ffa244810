/**
 * The dashboard in real Chromium against `npm run demo` (Google served by the sandbox fakes) and the
 * local PostgreSQL's pagila: every flow an operator does, through the same /api/v1 routes scripts use.
 * Screenshots of each page land in test-artifacts/e2e/ (not committed).
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactsDir, chromiumMissing, launchChromium } from './support/browser.ts';
import { type DemoServer, startDemo } from './support/dashboard-server.ts';
import { freePort } from './support/server-processes.ts';
import { PG, postgresDb } from './support/services.ts';

const skip = chromiumMissing() ?? (await postgresDb('pagila'));
const shots = artifactsDir('e2e');
const OWNER = { email: 'owner@example.com', password: 'owner password 1' };
const MEMBER = { email: 'member@example.com', password: 'member password 1' };

let server: DemoServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let ctx: BrowserContext;
let page: Page;
let agentUrl = '';

const shot = (p: Page, name: string) =>
  p.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

async function login(p: Page, who: { email: string; password: string }) {
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Log in' }).click();
}

describe.skipIf(skip)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    server = await startDemo();
    await server.addUser(OWNER.email, 'acme', 'owner', OWNER.password);
    await server.addUser(MEMBER.email, 'acme', 'member', MEMBER.password);
    ({ browser, close: closeBrowser } = await launchChromium());
    ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    ctx.setDefaultTimeout(10_000);
    page = await ctx.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  test('a logged-out browser is sent to the login page, then back where it was going', async () => {
    await page.goto(`${server.url}/agents`);
    await page.waitForURL(/\/login\?next=%2Fagents$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Log in to Flowyte' }).isVisible()).toBe(true);
    await shot(page, '01-login');
    await login(page, { email: OWNER.email, password: 'not the password' });
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('email or password is not right');
    await login(page, OWNER);
    await page.waitForURL(`${server.url}/agents`);
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
  });

  test('connect Google Calendar through the OAuth popup', async () => {
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.locator('[data-kind="google_calendar"]').waitFor();
    await shot(page, '02-integrations');
    await page.getByRole('button', { name: 'Connect Google Calendar' }).click();
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Continue with Google Calendar' }).click();
    const popup = await popupOpened;
    await popup.waitForURL(/\/sandbox\/google\//);
    await popup.getByRole('button', { name: 'Allow' }).click();
    const card = page.locator('[data-kind="google_calendar"]');
    await card.getByRole('link', { name: 'Open' }).waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('connected');
  });

  test('create an agent, install the calendar pack, publish, and test-invoke the live tool', async () => {
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByText('No agents yet.').waitFor();
    await shot(page, '03-agents');
    await page.getByLabel('Name').fill('Front desk');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.waitForURL(/\/agents\/agt_/);
    agentUrl = page.url();
    await page.getByRole('button', { name: 'Install Google Calendar pack…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Install' }).click();
    await page.locator('[data-skill="get_available_times"]').waitFor();
    // Provision: the important actions come preselected; the pack already provisioned them
    // (provisioning is idempotent), so the dialog closes and the draft keeps its five skills.
    await page.getByRole('button', { name: 'Google Calendar actions…' }).click();
    const actions = page.getByRole('dialog');
    expect(await actions.getByRole('checkbox', { name: /Check availability/ }).isChecked()).toBe(true);
    expect(await actions.getByRole('checkbox', { name: /Cancel appointment/ }).isChecked()).toBe(false);
    await actions.getByRole('button', { name: 'Add to draft' }).click();
    await actions.waitFor({ state: 'detached' });
    expect(await page.locator('[data-skill]').count()).toBe(5);
    await page.getByLabel('Note for this version').fill('calendar pack');
    await page.getByRole('button', { name: 'Publish draft' }).click();
    await page.getByRole('list', { name: 'Versions' }).getByText('“calendar pack”').waitFor();
    await page.locator('[data-skill="get_available_times"]').getByRole('button', { name: 'Test' }).click();
    const panel = page.getByRole('form', { name: 'Test get_available_times' });
    expect(await panel.getByLabel('Live').isChecked()).toBe(true);
    await panel.getByRole('button', { name: 'Run' }).click();
    await panel.getByRole('region', { name: 'Result' }).waitFor({ timeout: 15_000 });
    expect(await panel.textContent()).toMatch(/Took \d+ ms on the server/);
    expect(await panel.locator('pre').textContent()).toContain('slots');
    await shot(page, '04-agent-calendar');
  });

  test('connect pagila: Test shows the checklist, then Connect', async () => {
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Connect PostgreSQL' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Host').fill(PG.host);
    await dialog.getByLabel('Port').fill(String(PG.port));
    await dialog.getByLabel('Database').fill('pagila');
    await dialog.getByLabel('User').fill(PG.user);
    await dialog.getByLabel('TLS').selectOption('disable');
    await dialog.getByRole('button', { name: 'Test' }).click();
    const checks = dialog.getByRole('list', { name: 'Connection checks' });
    await checks.waitFor();
    expect(await checks.textContent()).toContain('signed in as "postgres" to pagila');
    await shot(page, '04-connect-pagila');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-kind="postgres"]').getByRole('link', { name: 'Open' }).waitFor();
  });

  test('connect the demo Shopify store with its Admin API token; a wrong token shows why', async () => {
    await page.getByRole('button', { name: 'Connect Shopify' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Shop domain').fill('https://flowyte-demo.myshopify.com/');
    await dialog.getByRole('textbox', { name: 'Access token' }).fill('shpat_not_the_token');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('refused the access token');
    await shot(page, '04-connect-shopify-refused');
    await dialog
      .getByRole('textbox', { name: 'Access token' })
      .fill('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');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-kind="shopify"] .badge.status-connected').waitFor();
    await shot(page, '04-connect-shopify');
  });

  test('discover pagila and browse its schema', async () => {
    await page.locator('[data-kind="postgres"]').getByRole('link', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Discover' }).click();
    const found = page.getByRole('status').filter({ hasText: 'Found' });
    await found.waitFor({ timeout: 20_000 });
    expect(await found.textContent()).toMatch(/Found \d+ objects, \d+ fields/);
    await page.getByLabel('Search objects and fields').fill('last_name');
    await page.getByRole('button', { name: 'Customer table' }).click();
    const detail = page.getByRole('region', { name: 'Object customer' });
    expect(await detail.textContent()).toContain('PII: person_name');
    expect(await detail.textContent()).toContain('customer.search_by_last_name');
    await shot(page, '05-schema');
    // Scoping: hide a field; it stays hidden after a reload (read back from the server); show it again.
    await detail.getByRole('button', { name: 'Hide customer.email' }).click();
    const hidden = page.getByRole('region', { name: 'Hidden from agents' });
    await hidden.getByText('customer.email').waitFor();
    await page.reload();
    await hidden.getByText('customer.email').waitFor();
    await shot(page, '05-schema-hidden');
    await page.getByRole('button', { name: 'Customer table' }).click();
    expect(await detail.getByRole('button', { name: 'Hide customer.email' }).count()).toBe(0);
    await hidden.getByRole('button', { name: 'Show again' }).click();
    await detail.getByRole('button', { name: 'Hide customer.email' }).waitFor();
    expect(await hidden.count()).toBe(0);
  });

  test('auto-map a goal, publish, test-invoke live, and see the execution', async () => {
    await page.goto(agentUrl);
    await page.getByLabel('Goal').fill('look customers up by last name');
    await page.getByRole('button', { name: 'Map goal' }).click();
    const result = page.getByRole('region', { name: 'Auto-map result' });
    await result.waitFor();
    expect(await result.textContent()).toContain('find_customer_by_last_name');
    expect(await result.textContent()).toMatch(/Confidence/);
    await page.getByLabel('Note for this version').fill('customer lookup');
    await page.getByRole('button', { name: 'Publish draft' }).click();
    await page.getByRole('list', { name: 'Versions' }).getByText('“customer lookup”').waitFor();
    await page
      .locator('[data-skill="find_customer_by_last_name"]')
      .getByRole('button', { name: 'Test' })
      .click();
    const panel = page.getByRole('form', { name: 'Test find_customer_by_last_name' });
    await panel.getByLabel(/caller_last_name/).fill('SMITH');
    await panel.getByRole('button', { name: 'Run' }).click();
    await panel.getByRole('region', { name: 'Result' }).waitFor();
    expect(await panel.locator('pre').textContent()).toContain('MARY');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const executions = page.getByRole('table', { name: 'Executions' });
    await executions.getByText('find_customer_by_last_name').first().waitFor();
    await page.getByRole('combobox', { name: /^Tool/ }).selectOption('find_customer_by_last_name');
    await page.getByLabel('Outcome').selectOption('ok');
    await expect.poll(() => executions.locator('tbody tr').count()).toBe(1);
    await shot(page, '06-agent-pagila');
  });

  test('bind an operation with the binding editor; a bad binding shows the server errors', async () => {
    const editor = page.getByRole('form', { name: 'Binding editor' });
    await editor.getByLabel('Filter operations').fill('customer.get');
    await editor.getByLabel('Operation', { exact: true }).selectOption('customer.get');
    await editor.getByLabel('Tool name').fill('get_customer');
    // Every field starts chosen; with none, the server refuses a read and the form says why.
    const boxes = editor.getByRole('group', { name: 'Returned fields' }).getByRole('checkbox');
    for (const box of await boxes.all()) await box.uncheck();
    await editor.getByRole('button', { name: 'Save as draft skill' }).click();
    await expect
      .poll(() => editor.getByRole('alert').textContent())
      .toContain('must return at least one field');
    await editor.getByRole('checkbox', { name: /^first_name/ }).check();
    await editor.getByRole('checkbox', { name: /^email/ }).check();
    await editor.getByRole('button', { name: 'Save as draft skill' }).click();
    await editor.getByRole('status').waitFor();
    expect(await editor.getByRole('status').textContent()).toContain('get_customer');
    await page.locator('[data-skill="get_customer"]').waitFor();
    await shot(page, '07-binding-editor');
    // The draft now differs from v2 by that skill; then v1 is made live again.
    const versions = page.getByRole('list', { name: 'Versions' });
    await versions
      .getByRole('listitem')
      .filter({ hasText: 'v2' })
      .getByRole('button', { name: 'Diff with draft' })
      .click();
    const diff = page.getByRole('region', { name: 'Diff' });
    await expect.poll(() => diff.textContent()).toContain('+ get_customer');
    expect(await diff.textContent()).not.toContain('find_customer_by_last_name');
    await versions.getByRole('button', { name: 'Roll back to v1' }).click();
    await versions.getByRole('listitem').filter({ hasText: 'v1' }).getByText('live').waitFor();
  });

  test('create a key (shown once), use it, revoke it', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('integrations:read').check();
    await page.getByLabel('Label').fill('e2e');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').textContent())!.trim();
    expect(key).toMatch(/^flowyte_sk_live_/);
    const use = () =>
      fetch(`${server.url}/api/v1/integrations`, { headers: { authorization: `Bearer ${key}` } }).then(
        (r) => r.status,
      );
    expect(await use()).toBe(200);
    await shot(page, '08-keys');
    await page
      .getByRole('button', { name: /^Revoke / })
      .first()
      .click();
    await page.getByRole('table').getByText('revoked').waitFor();
    expect(await use()).toBe(401);
    await page.reload();
    expect(await page.getByTestId('new-key').count()).toBe(0);
  });

  test('a member sees no keys page', async () => {
    const member = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await member.newPage();
    await p.goto(`${server.url}/`);
    await login(p, MEMBER);
    await p.locator('[data-kind="postgres"]').waitFor();
    await shot(p, '09-member-390px');
    expect(await p.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await p.goto(`${server.url}/keys`);
    await p.getByText('Only owners of this organization manage API keys.').waitFor();
    const status = await p.evaluate(() => fetch('/api/v1/keys').then((r) => r.status));
    expect(status).toBe(403);
    await p.goto(agentUrl);
    await p.locator('[data-skill="get_customer"]').waitFor();
    expect(
      await p.locator('[data-skill="get_customer"]').getByRole('button', { name: 'Delete' }).count(),
    ).toBe(0);
    await shot(p, '10-member-agent-390px');
    await member.close();
  });

  test('writes without the CSRF token are refused, same-site or cross-site', async () => {
    // Same origin, cookie sent, no token: the server refuses.
    const same = await page.evaluate(() =>
      fetch('/api/v1/agents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'forged' }),
      }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code: string }).code })),
    );
    expect(same).toEqual({ status: 403, code: 'csrf_token_invalid' });
    // Another site posts a form at the API while the operator is logged in.
    const port = await freePort();
    const target = `${server.url}/api/v1/agents`;
    const attacker: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"name":"pwned","x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`,
      );
    }).listen(port, '127.0.0.1');
    try {
      const evil = await ctx.newPage();
      const answered = evil.waitForResponse((r) => r.url() === target);
      await evil.goto(`http://localhost:${port}/`);
      expect((await answered).status()).toBeGreaterThanOrEqual(400);
      await evil.close();
    } finally {
      attacker.close();
    }
    const names = await page.evaluate(() =>
      fetch('/api/v1/agents').then(async (r) =>
        ((await r.json()) as { data: { name: string }[] }).data.map((a) => a.name),
      ),
    );
    expect(names).not.toContain('pwned');
    expect(names).not.toContain('forged');
  });

  test('an operator in two organizations switches between them (X-Organization-Id)', async () => {
    await server.addUser(OWNER.email, 'globex', 'member', OWNER.password);
    await page.goto(`${server.url}/`);
    const org = page.getByRole('combobox', { name: 'Organization' });
    await org.waitFor();
    await page.locator('[data-kind="google_calendar"]').getByRole('link', { name: 'Open' }).waitFor();
    await org.selectOption({ label: 'globex (member)' });
    await page
      .locator('[data-kind="google_calendar"]')
      .getByRole('button', { name: /^Connect/ })
      .waitFor();
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await org.selectOption({ label: 'acme (owner)' });
    await page.locator('[data-kind="google_calendar"]').getByRole('link', { name: 'Open' }).waitFor();
  });

  test('logging out ends the session', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Flowyte' }).waitFor();
    const status = await page.evaluate(() => fetch('/api/v1/integrations').then((r) => r.status));
    expect(status).toBe(401);
  });
});
