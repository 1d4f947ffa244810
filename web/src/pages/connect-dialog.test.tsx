// @vitest-environment happy-dom
/**
 * The connect dialogs against a stubbed server: the database form shows the sql/test checks as a
 * checklist and connects with the same credentials; the Shopify form sends shop + token (or client
 * credentials) and shows the server's refusal by the form.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import type { CatalogItem } from '../types.ts';
import { ConnectDialog } from './connect-dialog.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const provider = (kind: string, authType: CatalogItem['authType']): CatalogItem => ({
  kind,
  name: kind,
  category: 'x',
  blurb: '',
  logo: kind,
  authType,
  actionCount: 0,
  hasPack: false,
  connected: false,
  connectionStatus: null,
});

function stubServer(answer: (path: string, body: any) => { status: number; body: unknown }) {
  const calls: { path: string; body: any }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ path: url, body });
      const a = answer(url, body);
      return new Response(JSON.stringify(a.body), { status: a.status });
    }),
  );
  return calls;
}

test('database: Test shows each check, Connect sends the same credentials', async () => {
  const calls = stubServer((path) =>
    path.endsWith('/sql/test')
      ? {
          status: 200,
          body: {
            success: true,
            data: {
              ok: false,
              checks: [
                { name: 'auth', ok: true, detail: 'signed in as "app" to shop', ms: 4.2 },
                { name: 'read_only', ok: false, detail: 'the role can write', ms: 1 },
              ],
            },
          },
        }
      : {
          status: 200,
          body: { success: true, data: { status: 'connected', accountLabel: 'PostgreSQL 16 · shop' } },
        },
  );
  const onConnected = vi.fn();
  render(
    <ConnectDialog
      provider={provider('postgres', 'credentials')}
      onClose={() => {}}
      onConnected={onConnected}
    />,
  );
  fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'db.example.com' } });
  fireEvent.change(screen.getByLabelText('Database'), { target: { value: 'shop' } });
  fireEvent.change(screen.getByLabelText('User'), { target: { value: 'app' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: 'Test' }));
  const list = await screen.findByRole('list', { name: 'Connection checks' });
  expect(list.textContent).toContain('✓ auth signed in as "app" to shop');
  expect(list.textContent).toContain('✗ read_only the role can write');
  expect(calls[0]).toEqual({
    path: '/api/v1/integrations/postgres/sql/test',
    body: {
      host: 'db.example.com',
      port: 5432,
      database: 'shop',
      user: 'app',
      password: 'pw',
      sslmode: 'require',
    },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
  await vi.waitFor(() => expect(onConnected).toHaveBeenCalled());
  expect(calls[1]).toEqual({
    path: '/api/v1/integrations/postgres/connect',
    body: { credentials: calls[0].body },
  });
});

test('Shopify: shop + access token, or client credentials; a refusal is shown with its detail', async () => {
  const calls = stubServer(() => ({
    status: 422,
    body: { code: 'credentials_rejected', detail: 'Shopify refused the access token', status: 422 },
  }));
  render(
    <ConnectDialog provider={provider('shopify', 'api_key')} onClose={() => {}} onConnected={() => {}} />,
  );
  fireEvent.change(screen.getByLabelText('Shop domain'), { target: { value: 'acme.myshopify.com' } });
  fireEvent.change(screen.getByLabelText('Access token'), { target: { value: 'shpat_x' } });
  fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
  expect((await screen.findByRole('alert')).textContent).toContain('Shopify refused the access token');
  expect(calls[0].body).toEqual({ credentials: { shop: 'acme.myshopify.com', access_token: 'shpat_x' } });
  fireEvent.click(screen.getByLabelText(/Client ID and secret/));
  fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: 'cid' } });
  fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'cs' } });
  fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
  await vi.waitFor(() => expect(calls).toHaveLength(2));
  expect(calls[1].body).toEqual({
    credentials: { shop: 'acme.myshopify.com', client_id: 'cid', client_secret: 'cs' },
  });
});
