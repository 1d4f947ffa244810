import { describe, expect, test } from 'vitest';
import { throttleWaitMs } from './client.ts';

describe("waiting out Shopify's cost-based throttle", () => {
  test('waits until the bucket refills enough for the query, at the restore rate', () => {
    const status = { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 };
    expect(throttleWaitMs(250, status)).toBe(2000);
    expect(throttleWaitMs(60, status)).toBe(100);
  });

  test('a query costlier than the bucket waits for a full bucket; unknown status waits a second', () => {
    expect(throttleWaitMs(5000, { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 })).toBe(
      20_000,
    );
    expect(throttleWaitMs(10, undefined)).toBe(1000);
    expect(throttleWaitMs(10, { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 })).toBe(
      50,
    );
  });
});
