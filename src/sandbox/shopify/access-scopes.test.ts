import { describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';

const t = shopifyFakeForSuite();

describe('Shopify fake: access scopes', () => {
  it('denies a root field the token lacks the scope for: null plus ACCESS_DENIED, other fields still answer', async () => {
    const token = t.demo.handle.issueAccessToken(['read_products']);
    const { status, body } = await t.gql(
      '{ customer(id: "gid://shopify/Customer/1") { id } products(first: 1) { nodes { title } } }',
      {},
      { token },
    );
    expect(status).toBe(200);
    expect(body.data.customer).toBeNull();
    expect(body.data.products.nodes).toHaveLength(1);
    expect(body.errors).toEqual([
      {
        message: 'Access denied for customer field. Required access: `read_customers` access scope.',
        locations: [{ line: 1, column: 3 }],
        path: ['customer'],
        extensions: {
          code: 'ACCESS_DENIED',
          documentation: 'https://shopify.dev/api/usage/access-scopes',
          requiredAccess: '`read_customers` access scope.',
        },
      },
    ]);
  });

  it('a denied non-null root connection nulls data, as GraphQL requires', async () => {
    const token = t.demo.handle.issueAccessToken(['read_products']);
    const { body } = await t.gql('{ orders(first: 1) { nodes { id } } }', {}, { token });
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(body.errors[0].extensions.requiredAccess).toContain('`read_orders`');
  });

  it('checks scopes on nested records too (an order’s customer needs read_customers)', async () => {
    const token = t.demo.handle.issueAccessToken(['read_orders']);
    const { body } = await t.gql('{ orders(first: 1) { nodes { name customer { email } } } }', {}, { token });
    expect(body.data.orders.nodes[0].name).toBe('#1001');
    expect(body.data.orders.nodes[0].customer).toBeNull();
    expect(body.errors[0].path).toEqual(['orders', 'nodes', 0, 'customer']);
  });

  it('node(id:) checks the record type’s scope', async () => {
    const token = t.demo.handle.issueAccessToken(['read_products']);
    const { body } = await t.gql(
      'query($id: ID!) { node(id: $id) { id } }',
      { id: t.demo.orders[0].id },
      { token },
    );
    expect(body.data.node).toBeNull();
    expect(body.errors[0].extensions.code).toBe('ACCESS_DENIED');
  });

  it('mutations need their write scope', async () => {
    const token = t.demo.handle.issueAccessToken(['read_orders']);
    const { body } = await t.gql(
      'mutation($id: ID!) { orderUpdate(input: { id: $id, note: "x" }) { order { id } } }',
      { id: t.demo.orders[0].id },
      { token },
    );
    expect(body.data.orderUpdate).toBeNull();
    expect(body.errors[0].extensions.code).toBe('ACCESS_DENIED');
    expect(body.errors[0].extensions.requiredAccess).toContain('`write_orders`');
  });

  it('a write scope implies its read scope', async () => {
    const token = t.demo.handle.issueAccessToken(['write_orders']);
    const { body } = await t.gql('{ orders(first: 1) { nodes { name } } }', {}, { token });
    expect(body.errors).toBeUndefined();
  });

  it('currentAppInstallation lists the granted scopes; shop describes the shop', async () => {
    const { body } = await t.gql(
      '{ currentAppInstallation { accessScopes { handle } } shop { name myshopifyDomain currencyCode email primaryDomain { host } } }',
    );
    expect(body.data.currentAppInstallation.accessScopes.map((s: { handle: string }) => s.handle)).toEqual(
      t.demo.scopes,
    );
    expect(t.demo.scopes).toEqual([
      'read_orders',
      'write_orders',
      'read_customers',
      'read_products',
      'read_inventory',
      'read_locations',
      'read_fulfillments',
    ]);
    expect(body.data.shop).toMatchObject({
      name: t.demo.name,
      myshopifyDomain: t.demo.domain,
      currencyCode: 'USD',
    });
  });
});
