/**
 * Property tests at every route: malformed JSON, wrong types, huge and deeply nested bodies, odd
 * unicode, injection strings, odd path parameters and query strings. Whatever arrives, the answer is
 * never a 5xx, every error is problem+json, and no stack trace or source path leaks.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { SCOPES } from '../src/security/api-keys.ts';
import { startTestServer } from './support/harness.ts';
import { type RawResponse, rawRequest } from './support/raw-http.ts';
import { type CollectedRoute, fillPath, sampleFromSchema } from './support/routes.ts';

const routes = vi.hoisted(() => [] as CollectedRoute[]);
vi.mock('fastify', async (orig) => (await import('./support/routes.ts')).withRouteCollector(orig, routes));

const RUNS = Number(process.env.FLOWYTE_FUZZ_RUNS ?? 50);

const s = await startTestServer({
  FLOWYTE_RATE_LIMIT_PER_MINUTE: '10000000',
  FLOWYTE_CONNECT_TIMEOUT_MS: '1000',
  FLOWYTE_BODY_LIMIT_BYTES: '262144',
});
afterAll(() => s.close());
const { key } = await s.key('fuzz', [...SCOPES]);

const INJECTIONS = [
  "' OR '1'='1' --",
  '"; DROP TABLE organizations; --',
  '1; SELECT pg_sleep(10)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, literally
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '\u0000',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  '\u202e\u0644\u0627',
  '𝕱𝖑𝖔𝖜𝖞𝖙𝖊',
  '\ud800',
  'Ａｄｍｉｎ',
  'null',
  'NaN',
  '-1',
  '9'.repeat(400),
  ' ',
];

/** encodeURIComponent refuses lone surrogates: those go on the wire as '?' instead. */
const enc = (x: string) => {
  try {
    return encodeURIComponent(x);
  } catch {
    return encodeURIComponent(x.replace(/[\ud800-\udfff]/g, '?'));
  }
};

const oddString = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(oddString, { maxLength: 5 }),
  fc.dictionary(oddString, oddString, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Deep nesting straddling the parser's limit. */
const deep = fc.integer({ min: 20, max: 120 }).map((d) => `${'['.repeat(d)}1${']'.repeat(d)}`);

function bodyFor(route: CollectedRoute): fc.Arbitrary<string | undefined> {
  const sample = route.schema?.body ? sampleFromSchema(route.schema.body) : {};
  const base = (sample && typeof sample === 'object' ? sample : {}) as Record<string, unknown>;
  // The route's own shape with members swapped for odd values, extra members, or nested credentials.
  const mutated = fc
    .tuple(
      fc.dictionary(fc.constantFrom(...Object.keys(base), 'credentials', 'extra', '__proto__'), oddValue, {
        maxKeys: 4,
      }),
      fc.boolean(),
    )
    .map(([over, keep]) => JSON.stringify({ ...(keep ? base : {}), ...over }));
  const nearCredentials = fc
    .record({
      host: fc.oneof(
        fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', 'localhost', '0x7f.1', 'nowhere.invalid'),
        oddString,
      ),
      port: fc.oneof(fc.integer({ min: -5, max: 70000 }), oddString),
      database: oddString,
      user: oddString,
      password: oddString,
      sslmode: fc.oneof(
        fc.constantFrom('disable', 'require', 'verify-ca', 'verify-full', 'prefer'),
        oddString,
      ),
    })
    .map((c) => JSON.stringify(Math.random() < 0.5 ? c : { credentials: c }));
  return fc.oneof(
    { weight: 3, arbitrary: mutated },
    { weight: 2, arbitrary: nearCredentials },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '{"a":',
        '[1,2',
        '{"a":1}}',
        "{'a':1}",
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{}}}',
        'NaN',
        '',
      ),
    },
    { weight: 1, arbitrary: deep },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100_000, max: 400_000 })
        .map((n) => JSON.stringify({ blob: 'x'.repeat(n) })),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const paramValue = fc.oneof(
  fc.constantFrom('postgres', 'mysql', 'hubspot', 'nosuch', 'agt_00000000000000000000000000', 'key_0'),
  fc.constantFrom(...INJECTIONS).map(enc),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(enc),
  fc.constantFrom(
    '%',
    '%ZZ',
    '%E0%A4%A',
    '..',
    '%2e%2e',
    '%00',
    'a'.repeat(300),
    '%F0%9F%92%A9',
    '~',
    ';',
    ',',
  ),
);

const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'cursor',
          'database',
          'tables',
          'q',
          'object',
          'format',
          'version',
          'ref',
          'limit[]',
        ),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(fc.constantFrom('0', '-1', '201', '50', '1e3', 'abc', '', '%', '%ZZ'), oddString.map(enc)),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${enc(k)}=${v}`).join('&')}` : ''));

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'multipart/form-data; boundary=x',
  '',
);

const STACK = /\bat (?:async )?\S+ \(?(?:file:\/\/|node:|\/)[^)\n]*:\d+:\d+\)?/;

function checkAnswer(res: RawResponse) {
  expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.text).not.toMatch(STACK);
  expect(res.text).not.toMatch(/node_modules|\/work\/|\/src\/[a-z-]+\.ts/);
  if (res.status >= 400) {
    expect(res.headers['content-type'], res.text.slice(0, 200)).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.text);
    expect(problem.status).toBe(res.status);
    expect(problem.code).toMatch(/^[a-z][a-z_]*$/);
    expect(typeof problem.detail).toBe('string');
  }
}

const fuzzable = routes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));

describe.each(fuzzable.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', (_name, route) => {
  test('any body, path parameter, query string or content type: never a 5xx, errors are problem+json', async () => {
    const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(paramValue, { minLength: names.length, maxLength: names.length }),
        query,
        bodyFor(route),
        contentType,
        async (params, q, body, type) => {
          // fillPath would encode again: the values above are already what goes on the wire.
          let path = route.url;
          names.forEach((n, i) => {
            path = path.replace(`:${n}`, params[i]);
          });
          const headers: Record<string, string> = { authorization: `Bearer ${key}` };
          if (body !== undefined && type) headers['content-type'] = type;
          const res = await rawRequest(s.url, route.method, path + q, headers, body);
          checkAnswer(res);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('without credentials', () => {
  test('odd Authorization headers and organization headers always get a 4xx problem', async () => {
    const scoped = fuzzable.filter((r) => r.config.scope);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: scoped.length - 1 }),
        fc.oneof(
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic Zm9vOmJhcg==',
            `bearer ${key}x`,
            `Bearer flowyte_sk_live_${'A'.repeat(500)}`,
            `Bearer  ${key} extra`,
          ),
          // Any visible ASCII (the client itself refuses control characters in a header).
          fc
            .string({ unit: 'binary-ascii', maxLength: 60 })
            .map((x) => `Bearer ${x.replace(/[^\x20-\x7e]/g, '')}`),
        ),
        fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), { nil: undefined }),
        async (index, authorization, org) => {
          const route = scoped[index];
          const headers: Record<string, string> = { authorization };
          if (org !== undefined) headers['x-organization-id'] = org.replace(/[^\x20-\x7e]/g, '');
          const res = await rawRequest(
            s.url,
            route.method,
            fillPath(route.url, { kind: 'postgres' }),
            headers,
          );
          checkAnswer(res);
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  test('the server survived the run and still answers', async () => {
    expect((await s.call('GET', '/readyz')).status).toBe(200);
    expect((await s.call('GET', '/api/v1/integrations/catalog', { key })).status).toBe(200);
    expect(s.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});
