import { describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';
import { parseSearchQuery } from './search-query.ts';

const t = shopifyFakeForSuite();

describe('Shopify search syntax: parser', () => {
  it('reads field terms, quoted values with escapes, and bare words', () => {
    expect(parseSearchQuery('email:"a b@x.com" "said \\"hi\\" \\\\ there" word')).toEqual({
      kind: 'and',
      children: [
        { kind: 'term', field: 'email', op: ':', value: 'a b@x.com', prefix: false, quoted: true },
        { kind: 'term', field: undefined, op: ':', value: 'said "hi" \\ there', prefix: false, quoted: true },
        { kind: 'term', field: undefined, op: ':', value: 'word', prefix: false, quoted: false },
      ],
    });
  });

  it('keeps a quoted value with OR and a field inside as one term', () => {
    expect(parseSearchQuery('email:"x OR status:any"')).toEqual({
      kind: 'term',
      field: 'email',
      op: ':',
      value: 'x OR status:any',
      prefix: false,
      quoted: true,
    });
  });

  it('gives AND precedence over OR and reads NOT, - and parentheses', () => {
    const ast = parseSearchQuery('a:1 b:2 OR NOT c:3 -(d:4 OR e:5)');
    expect(ast).toMatchObject({
      kind: 'or',
      children: [
        { kind: 'and', children: [{ field: 'a' }, { field: 'b' }] },
        {
          kind: 'and',
          children: [
            { kind: 'not', child: { field: 'c' } },
            { kind: 'not', child: { kind: 'or', children: [{ field: 'd' }, { field: 'e' }] } },
          ],
        },
      ],
    });
  });

  it('reads comparators and prefix wildcards', () => {
    expect(parseSearchQuery('created_at:>=2026-01-01 sku:NB-*')).toMatchObject({
      kind: 'and',
      children: [
        { field: 'created_at', op: '>=', value: '2026-01-01' },
        { field: 'sku', op: ':', value: 'NB-', prefix: true },
      ],
    });
  });

  it('never throws on unbalanced input', () => {
    for (const q of ['(', ')', 'a:"unterminated', 'OR', 'NOT', '- -', 'a:(b', '((a:1) OR', ':', '"']) {
      expect(() => parseSearchQuery(q)).not.toThrow();
    }
  });
});

const names = async (
  type: 'orders' | 'customers' | 'products' | 'productVariants',
  q: string,
  field = 'id',
) => {
  const { body } = await t.gql(
    `query($q: String) { ${type}(first: 250, query: $q) { nodes { ${field} } } }`,
    { q },
  );
  expect(body.errors).toBeUndefined();
  return body.data[type].nodes.map((n: Record<string, string>) => n[field]) as string[];
};

describe('Shopify search syntax: against the demo data', () => {
  it('a quoted "x OR status:any" matches nothing extra', async () => {
    const email = t.demo.orders[0].email!;
    expect(await names('orders', `email:"${email} OR status:any"`)).toEqual([]);
    expect(await names('orders', `email:"x OR status:any"`)).toEqual([]);
    expect((await names('orders', `email:${email} OR status:any`)).length).toBe(t.demo.orders.length);
  });

  it('matches order name with or without #, email and phone case-insensitively, AND implicit', async () => {
    const o = t.demo.orders[3];
    expect(await names('orders', `name:${o.name}`)).toEqual([o.id]);
    expect(await names('orders', `name:"${o.name.slice(1)}" email:${o.email!.toUpperCase()}`)).toEqual([
      o.id,
    ]);
    expect(await names('orders', `name:${o.name} phone:"${o.phone}"`)).toEqual([o.id]);
    expect(await names('orders', `name:${o.name} email:someone.else@example.com`)).toEqual([]);
  });

  it('filters by status fields, NOT and OR', async () => {
    const cancelled = t.demo.orders.filter((o) => o.cancelled).map((o) => o.id);
    expect(await names('orders', 'status:cancelled')).toEqual(cancelled);
    const refunded = t.demo.orders.filter((o) => o.financialStatus === 'REFUNDED').map((o) => o.id);
    expect(await names('orders', 'financial_status:refunded')).toEqual(refunded);
    const partial = t.demo.orders
      .filter((o) => o.fulfillmentStatus === 'PARTIALLY_FULFILLED')
      .map((o) => o.id);
    expect(partial.length).toBeGreaterThan(0);
    expect(await names('orders', 'fulfillment_status:partial')).toEqual(partial);
    const notPaid = t.demo.orders.filter((o) => o.financialStatus !== 'PAID').map((o) => o.id);
    expect(await names('orders', '-financial_status:paid')).toEqual(notPaid);
    expect(await names('orders', 'NOT financial_status:paid')).toEqual(notPaid);
    const either = t.demo.orders
      .filter((o) => o.cancelled || o.fulfillmentStatus === 'PARTIALLY_FULFILLED')
      .map((o) => o.id);
    expect(await names('orders', 'status:cancelled OR fulfillment_status:partial')).toEqual(either);
  });

  it('compares dates with > and <=', async () => {
    const { body } = await t.gql('{ orders(first: 250) { nodes { id createdAt } } }');
    const all = body.data.orders.nodes as { id: string; createdAt: string }[];
    const pivot = all[30].createdAt;
    expect(await names('orders', `created_at:>${pivot}`)).toEqual(all.slice(31).map((o) => o.id));
    expect(await names('orders', `created_at:<=${pivot}`)).toEqual(all.slice(0, 31).map((o) => o.id));
  });

  it('finds customers by email, phone and names; products by sku, vendor, status and prefix', async () => {
    const c = t.demo.customers[5];
    expect(await names('customers', `email:${c.email}`)).toEqual([c.id]);
    expect(await names('customers', `phone:${c.phone}`)).toEqual([c.id]);
    expect(
      await names('customers', `first_name:${c.firstName.toLowerCase()} last_name:"${c.lastName}"`),
    ).toEqual([c.id]);
    const p = t.demo.products[0];
    const sku = p.variants[1].sku;
    expect(await names('products', `sku:${sku}`)).toEqual([p.id]);
    expect(await names('productVariants', `sku:${sku.toLowerCase()}`)).toEqual([p.variants[1].id]);
    expect(await names('productVariants', `product_id:${p.id.split('/').pop()}`)).toEqual(
      p.variants.map((v) => v.id),
    );
    const drafts = t.demo.products.filter((x) => x.status === 'DRAFT').map((x) => x.id);
    expect(await names('products', 'status:draft')).toEqual(drafts);
    const nb = t.demo.products
      .filter((x) => x.variants.some((v) => v.sku.startsWith('NB-')))
      .map((x) => x.id);
    expect(await names('products', 'sku:NB-*')).toEqual(nb);
    expect(await names('products', `vendor:"${p.vendor}" product_type:${p.productType}`)).toContain(p.id);
    expect(await names('products', 'merino sweater', 'title')).toContain('Merino Crew Sweater');
  });

  it('filters orders by customer_id (gid or number), tag and sku', async () => {
    const c = t.demo.customers[2];
    const theirs = t.demo.orders.filter((o) => o.customerId === c.id).map((o) => o.id);
    expect(theirs.length).toBeGreaterThan(1);
    expect(await names('orders', `customer_id:${c.id.split('/').pop()}`)).toEqual(theirs);
    expect(await names('orders', `customer_id:"${c.id}"`)).toEqual(theirs);
    const o = t.demo.orders[12];
    expect(await names('orders', `sku:${o.skus[0]}`)).toContain(o.id);
  });

  it('an unknown search field matches nothing rather than everything', async () => {
    expect(await names('orders', 'no_such_field:1')).toEqual([]);
  });
});
