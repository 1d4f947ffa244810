import { describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';

const t = shopifyFakeForSuite({ tokenTtlSeconds: 120 });

const grant = (body: Record<string, string>, opts: { json?: boolean; path?: string } = {}) =>
  t.post(
    opts.path ?? `/${t.demo.domain}/admin/oauth/access_token`,
    opts.json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    { 'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded' },
  );

describe('Shopify fake: client-credentials grant', () => {
  it('issues a working token, form-encoded or JSON, with or without the shop in the path', async () => {
    const before = t.fake.counters.tokenGrants;
    const creds = {
      client_id: t.demo.clientId,
      client_secret: t.demo.clientSecret,
      grant_type: 'client_credentials',
    };
    for (const opts of [{}, { json: true }, { path: '/admin/oauth/access_token' }]) {
      const { status, body } = await grant(creds, opts);
      expect(status).toBe(200);
      expect(body).toEqual({
        access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/),
        scope: t.demo.scopes.join(','),
        expires_in: 120,
      });
      const use = await t.gql('{ shop { name } }', {}, { token: body.access_token });
      expect(use.body.data.shop.name).toBe(t.demo.name);
    }
    expect(t.fake.counters.tokenGrants).toBe(before + 3);
  });

  it('grants the app’s own scopes', async () => {
    const app = t.demo.handle.addClientApp(['read_products']);
    const { body } = await grant({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
    });
    expect(body.scope).toBe('read_products');
    const scopes = await t.gql(
      '{ currentAppInstallation { accessScopes { handle } } }',
      {},
      { token: body.access_token },
    );
    expect(scopes.body.data.currentAppInstallation.accessScopes).toEqual([{ handle: 'read_products' }]);
  });

  it('answers an unknown client or a wrong secret with invalid_client', async () => {
    for (const creds of [
      { client_id: 'nope', client_secret: t.demo.clientSecret },
      { client_id: t.demo.clientId, client_secret: 'shpss_wrong' },
    ]) {
      const { status, body } = await grant({ ...creds, grant_type: 'client_credentials' });
      expect(status).toBe(401);
      expect(body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
  });

  it('answers a missing field or another grant type with a 400 OAuth error', async () => {
    const missing = await grant({ client_id: t.demo.clientId, grant_type: 'client_credentials' });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const other = await grant({
      client_id: t.demo.clientId,
      client_secret: t.demo.clientSecret,
      grant_type: 'password',
    });
    expect(other).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    const garbage = await t.post(`/${t.demo.domain}/admin/oauth/access_token`, '{{{', {
      'content-type': 'application/json',
    });
    expect(garbage).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const unknownShop = await grant(
      { client_id: t.demo.clientId, client_secret: t.demo.clientSecret, grant_type: 'client_credentials' },
      { path: '/nope.myshopify.com/admin/oauth/access_token' },
    );
    expect(unknownShop.status).toBe(404);
  });

  it('expireTokens() makes granted tokens answer 401; a new grant works again', async () => {
    const creds = {
      client_id: t.demo.clientId,
      client_secret: t.demo.clientSecret,
      grant_type: 'client_credentials',
    };
    const first = (await grant(creds)).body.access_token;
    t.fake.expireTokens();
    const expired = await t.gql('{ shop { name } }', {}, { token: first });
    expect(expired).toMatchObject({
      status: 401,
      body: { errors: expect.stringContaining('Invalid API key or access token') },
    });
    // The admin-issued token is not affected.
    expect((await t.gql('{ shop { name } }')).status).toBe(200);
    const second = (await grant(creds)).body.access_token;
    expect((await t.gql('{ shop { name } }', {}, { token: second })).status).toBe(200);
  });

  it('failNextTokenGrant makes the grant fail with that status', async () => {
    t.fake.faults.failNextTokenGrant(503);
    const creds = {
      client_id: t.demo.clientId,
      client_secret: t.demo.clientSecret,
      grant_type: 'client_credentials',
    };
    expect((await grant(creds)).status).toBe(503);
    expect((await grant(creds)).status).toBe(200);
    expect(JSON.stringify(t.fake.requests)).not.toContain(t.demo.clientSecret);
  });
});
