import { describe, expect, it } from 'vitest';
import { asSentence } from './errors.ts';

describe('every problem detail reads as one sentence', () => {
  it.each([
    ['the body is not valid JSON', 'The body is not valid JSON.'],
    ['postgres is not connected', 'Postgres is not connected.'],
    ['run POST /integrations/postgres/discover first', 'Run POST /integrations/postgres/discover first.'],
    [
      'Shopify has no shop a.myshopify.com: check the myshopify domain',
      'Shopify has no shop a.myshopify.com: check the myshopify domain.',
    ],
    ['send the body as application/json.', 'Send the body as application/json.'],
    ['a path segment is too long', 'A path segment is too long.'],
    ['wait…', 'Wait…'],
  ])('%s → %s', (given, expected) => {
    expect(asSentence(given)).toBe(expected);
  });

  it.each([
    ['http_webhook skills need a url', 'http_webhook skills need a url.'],
    ['arguments.date must be a date', 'arguments.date must be a date.'],
    ['expiresIn must look like 30d, 12h or 90m', 'expiresIn must look like 30d, 12h or 90m.'],
    ['sku is required', 'sku is required.'],
  ])('an identifier keeps its spelling: %s', (given, expected) => {
    expect(asSentence(given)).toBe(expected);
  });
});
