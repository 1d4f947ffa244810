import { describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';
import { INVALID_TOKEN_BODY, loadAdminIntrospection } from './index.ts';

const t = shopifyFakeForSuite();

describe('Shopify fake: GraphQL endpoint', () => {
  it('answers an introspection query with every type of the real 2026-10 schema', async () => {
    const { status, body } = await t.gql('{ __schema { queryType { name } types { name } } }');
    expect(status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('QueryRoot');
    expect(body.data.__schema.types).toHaveLength(loadAdminIntrospection().__schema.types.length);
    expect(body.data.__schema.types.length).toBeGreaterThan(3000);
  });

  it('finds an order by its name, with line items, fulfillments and tracking', async () => {
    const shipped = t.demo.orders.find(
      (o) => o.fulfillmentStatus === 'FULFILLED' && o.trackingNumbers.length > 0,
    )!;
    const query = `query Lookup($q: String!) {
      orders(first: 5, query: $q) {
        nodes {
          id name email phone displayFinancialStatus displayFulfillmentStatus cancelledAt
          totalPriceSet { shopMoney { amount currencyCode } }
          lineItems(first: 10) { nodes { title quantity sku } }
          fulfillments(first: 5) { status trackingInfo(first: 1) { company number url } }
        }
      }
    }`;
    for (const name of [shipped.name, shipped.name.slice(1)]) {
      const { body } = await t.gql(query, { q: `name:${name}` });
      expect(body.errors).toBeUndefined();
      expect(body.data.orders.nodes).toHaveLength(1);
      const order = body.data.orders.nodes[0];
      expect(order).toMatchObject({
        id: shipped.id,
        name: shipped.name,
        email: shipped.email,
        phone: shipped.phone,
      });
      expect(order.totalPriceSet.shopMoney.currencyCode).toBe('USD');
      expect(order.lineItems.nodes.map((li: { sku: string }) => li.sku)).toEqual(shipped.skus);
      const tracking = order.fulfillments.flatMap((f: any) => f.trackingInfo);
      expect(tracking[0].number).toBe(shipped.trackingNumbers[0]);
      expect(['UPS', 'USPS', 'FedEx', 'DHL Express']).toContain(tracking[0].company);
      expect(tracking[0].url).toMatch(
        /^https:\/\/(www\.ups\.com|tools\.usps\.com|www\.fedex\.com|www\.dhl\.com)\//,
      );
      expect(tracking[0].url).toContain(tracking[0].number);
    }
  });

  it('resolves records by gid through order(id:), node(id:) and nested links', async () => {
    const order = t.demo.orders[0];
    const { body } = await t.gql(
      `query($id: ID!) {
        order(id: $id) { name customer { id email numberOfOrders amountSpent { amount } defaultAddress { city } } }
        node(id: $id) { __typename id ... on Order { legacyResourceId } }
        wrongType: product(id: $id) { id }
      }`,
      { id: order.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.order.customer.id).toBe(order.customerId);
    expect(body.data.node).toEqual({
      __typename: 'Order',
      id: order.id,
      legacyResourceId: order.id.split('/').pop(),
    });
    expect(body.data.wrongType).toBeNull();
  });

  it('answers fields the seed never set with neutral values instead of failing', async () => {
    const { body } = await t.gql(
      '{ orders(first: 1) { nodes { id metafields(first: 3) { nodes { key } } discountCodes riskLevel clientIp } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.orders.nodes[0].metafields.nodes).toEqual([]);
    expect(body.data.orders.nodes[0].discountCodes).toEqual([]);
  });

  it('pages through orders with cursors, in both directions', async () => {
    const page1 = await t.gql(
      '{ orders(first: 20) { nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }',
    );
    const { endCursor } = page1.body.data.orders.pageInfo;
    expect(page1.body.data.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await t.gql(
      'query($c: String) { orders(first: 20, after: $c) { nodes { name } pageInfo { hasPreviousPage startCursor } } }',
      { c: endCursor },
    );
    expect(page2.body.data.orders.nodes[0].name).toBe('#1021');
    expect(page2.body.data.orders.pageInfo.hasPreviousPage).toBe(true);
    const back = await t.gql('query($c: String) { orders(last: 2, before: $c) { nodes { name } } }', {
      c: page2.body.data.orders.pageInfo.startCursor,
    });
    expect(back.body.data.orders.nodes.map((n: { name: string }) => n.name)).toEqual(['#1019', '#1020']);
    const newest = await t.gql('{ orders(first: 1, reverse: true, sortKey: CREATED_AT) { nodes { name } } }');
    expect(newest.body.data.orders.nodes[0].name).toBe(t.demo.orders.at(-1)!.name);
  });

  it('refuses a connection without first or last, like Shopify', async () => {
    const { status, body } = await t.gql('{ products { nodes { id } } }');
    expect(status).toBe(200);
    expect(body.errors[0].message).toBe('you must provide one of first or last');
  });

  it('reports syntax and validation errors with HTTP 200 and errors[]', async () => {
    const syntax = await t.gql('{ orders(first: 1');
    expect(syntax.status).toBe(200);
    expect(syntax.body.errors[0].locations[0]).toHaveProperty('line');
    expect(syntax.body.data).toBeUndefined();
    const invalid = await t.gql('{ orders(first: 1) { nodes { nope } } }');
    expect(invalid.status).toBe(200);
    expect(invalid.body.errors[0].message).toContain('nope');
  });

  it('answers a missing, expired or unknown token with 401 and Shopify’s body', async () => {
    for (const token of [null, '', 'shpat_00000000000000000000000000000000']) {
      const { status, body } = await t.gql('{ shop { name } }', {}, { token });
      expect(status).toBe(401);
      expect(body).toEqual({
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    const revoked = t.demo.handle.issueAccessToken();
    t.demo.handle.revokeToken(revoked);
    expect((await t.gql('{ shop { name } }', {}, { token: revoked })).body).toEqual(INVALID_TOKEN_BODY);
  });

  it('refuses a token of another shop with 401, and an unknown shop or version with 404', async () => {
    const other = t.fake.addShop({ domain: 'other-shop.myshopify.com', name: 'Other' });
    const otherToken = other.issueAccessToken();
    const cross = await t.gql('{ shop { name } }', {}, { token: otherToken });
    expect(cross.status).toBe(401);
    const unknownShop = await t.gql(
      '{ shop { name } }',
      {},
      { path: '/nope.myshopify.com/admin/api/2026-10/graphql.json' },
    );
    expect(unknownShop).toMatchObject({ status: 404, body: { errors: 'Not Found' } });
    const unknownVersion = await t.gql(
      '{ shop { name } }',
      {},
      { path: `/${t.demo.domain}/admin/api/2019-01/graphql.json` },
    );
    expect(unknownVersion).toMatchObject({ status: 404, body: { errors: 'Not Found' } });
  });

  it('serves /admin/api/… without a shop segment, taking the shop from the token', async () => {
    const { status, body } = await t.gql(
      '{ shop { name myshopifyDomain currencyCode } }',
      {},
      { path: '/admin/api/2026-10/graphql.json' },
    );
    expect(status).toBe(200);
    expect(body.data.shop).toEqual({
      name: t.demo.name,
      myshopifyDomain: t.demo.domain,
      currencyCode: 'USD',
    });
  });

  it('answers garbage bodies with 400 and never a 500', async () => {
    const path = `/${t.demo.domain}/admin/api/2026-10/graphql.json`;
    const auth = { 'x-shopify-access-token': t.demo.accessToken };
    const bodies: [string, Record<string, string>][] = [
      ['{not json', { 'content-type': 'application/json' }],
      ['[1,2,3]', { 'content-type': 'application/json' }],
      ['{"query": 42}', { 'content-type': 'application/json' }],
      ['{"query": "{ shop { name } }", "variables": "x"}', { 'content-type': 'application/json' }],
      ['\u0000\u0001binary', { 'content-type': 'application/octet-stream' }],
      ['', { 'content-type': 'application/json' }],
      ['{"__proto__": {"query": "{ shop { name } }"}}', { 'content-type': 'application/json' }],
    ];
    for (const [body, headers] of bodies) {
      const res = await t.post(path, body, { ...auth, ...headers });
      expect(res.status, body).toBe(400);
      expect(res.body.errors).toBeDefined();
    }
    const graphqlBody = await t.post(path, '{ shop { name } }', {
      ...auth,
      'content-type': 'application/graphql',
    });
    expect(graphqlBody.body.data.shop.name).toBe(t.demo.name);
  });

  it('logs requests with the operation and only the token’s last characters', async () => {
    await t.gql('query ShopName { shop { name } }', { a: 1 }, { operationName: 'ShopName' });
    const entry = t.fake.requests.at(-1)!;
    expect(entry).toMatchObject({
      kind: 'graphql',
      shop: t.demo.domain,
      operationName: 'ShopName',
      variables: { a: 1 },
      status: 200,
    });
    expect(entry.tokenTail).toBe(t.demo.accessToken.slice(-4));
    expect(JSON.stringify(t.fake.requests)).not.toContain(t.demo.accessToken);
    expect(t.fake.counters.graphql).toBeGreaterThan(10);
  });
});
