import { afterEach, describe, expect, it } from 'vitest';
import { shopifyFakeForSuite } from '../../../test/support/shopify-test-client.ts';

// The buckets restore by this clock: real time, unless a test freezes it to read an exact bucket.
let frozenAt: number | undefined;
const t = shopifyFakeForSuite({ clock: () => frozenAt ?? Date.now() });
afterEach(() => {
  frozenAt = undefined;
  t.fake.faults.reset();
});

const SMALL = '{ shop { name } }';

describe('Shopify fake: cost, throttling and faults', () => {
  it('every answer carries extensions.cost with the bucket state', async () => {
    t.fake.faults.setAvailable(2000);
    const { body } = await t.gql('{ orders(first: 5) { nodes { id customer { id } } } }');
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 2 + 5 * 2, // connection: 2 + first × (node 1 + customer 1)
      actualQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 },
    });
    expect(body.extensions.cost.actualQueryCost).toBeLessThanOrEqual(12);
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(2000);
    const nested = await t.gql('{ products(first: 3) { nodes { variants(first: 4) { nodes { sku } } } } }');
    expect(nested.body.extensions.cost.requestedQueryCost).toBe(2 + 3 * (1 + 2 + 4 * 1));
  });

  it('throttles a query that costs more than is available, with Shopify’s THROTTLED body', async () => {
    frozenAt = Date.now(); // no restore between setting the bucket and reading it, however slow the machine
    t.fake.faults.setAvailable(5);
    const { status, body } = await t.gql('{ orders(first: 10) { nodes { id } } }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'Throttled',
          extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 12,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 5, restoreRate: 100 },
        },
      },
    });
  });

  it('the bucket restores at 100 points per second', async () => {
    t.fake.faults.setAvailable(0);
    await new Promise((r) => setTimeout(r, 150));
    const { body } = await t.gql(SMALL);
    expect(body.data.shop.name).toBe(t.demo.name);
  });

  it('throttleNext(n) throttles exactly the next n requests and reports an empty bucket', async () => {
    t.fake.faults.setAvailable(2000);
    t.fake.faults.throttleNext(2);
    for (let i = 0; i < 2; i++) {
      const { body } = await t.gql(SMALL);
      expect(body.errors[0].extensions.code).toBe('THROTTLED');
      expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
    }
    expect((await t.gql(SMALL)).body.data.shop.name).toBe(t.demo.name);
  });

  it('refuses a single query above 1000 points', async () => {
    const { body } = await t.gql(
      '{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }',
    );
    expect(body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
    expect(body.data).toBeUndefined();
  });

  it('failNext answers 429 with Retry-After, then 5xx, then recovers', async () => {
    t.fake.faults.failNext(429);
    const limited = await t.gql(SMALL);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.errors).toEqual(expect.any(String));
    for (const status of [500, 502, 503]) {
      t.fake.faults.failNext(status, 2);
      expect((await t.gql(SMALL)).status).toBe(status);
      expect((await t.gql(SMALL)).status).toBe(status);
    }
    expect((await t.gql(SMALL)).status).toBe(200);
  });

  it('failNext still lets an unauthenticated request get its 401 first', async () => {
    t.fake.faults.failNext(503);
    expect((await t.gql(SMALL, {}, { token: 'shpat_bad' })).status).toBe(401);
    expect((await t.gql(SMALL)).status).toBe(503);
  });

  it('latencyMs delays answers', async () => {
    t.fake.faults.latencyMs = 120;
    const started = performance.now();
    await t.gql(SMALL);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
