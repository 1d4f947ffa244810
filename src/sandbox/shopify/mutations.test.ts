import { describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';

const t = shopifyFakeForSuite();

const UPDATE = `mutation Update($input: OrderInput!) {
  orderUpdate(input: $input) { order { id note tags email updatedAt } userErrors { field message } }
}`;

describe('Shopify fake: mutations', () => {
  it('orderUpdate changes the note and tags, and a later query sees them', async () => {
    const order = t.demo.orders[7];
    const { body } = await t.gql(UPDATE, {
      input: { id: order.id, note: 'Caller asked to ship to work', tags: ['phone', 'vip'] },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.orderUpdate.userErrors).toEqual([]);
    expect(body.data.orderUpdate.order).toMatchObject({
      id: order.id,
      note: 'Caller asked to ship to work',
      tags: ['phone', 'vip'],
    });
    const again = await t.gql('query($id: ID!) { order(id: $id) { note tags } }', { id: order.id });
    expect(again.body.data.order).toEqual({ note: 'Caller asked to ship to work', tags: ['phone', 'vip'] });
  });

  it('an unknown order id is a userError, not a GraphQL error', async () => {
    const { status, body } = await t.gql(UPDATE, { input: { id: 'gid://shopify/Order/1', note: 'x' } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.orderUpdate).toEqual({
      order: null,
      userErrors: [{ field: ['id'], message: 'Order does not exist' }],
    });
  });

  it('an invalid email is a userError and changes nothing', async () => {
    const order = t.demo.orders[8];
    const { body } = await t.gql(UPDATE, { input: { id: order.id, email: 'not-an-email' } });
    expect(body.data.orderUpdate.userErrors[0].field).toEqual(['email']);
    const again = await t.gql('query($id: ID!) { order(id: $id) { email } }', { id: order.id });
    expect(again.body.data.order.email).toBe(order.email);
  });

  it('a missing required input is a GraphQL variables error', async () => {
    const { status, body } = await t.gql(UPDATE, { input: { note: 'x' } });
    expect(status).toBe(200);
    expect(body.errors[0].message).toContain('id');
  });

  it('other mutations answer a "not supported" userError', async () => {
    const { body } = await t.gql(
      'mutation { customerDelete(input: { id: "gid://shopify/Customer/1" }) { deletedCustomerId userErrors { field message } } }',
      {},
      { token: t.demo.handle.issueAccessToken(['write_customers']) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.customerDelete.userErrors[0].message).toMatch(/not supported by the sandbox/);
  });
});
