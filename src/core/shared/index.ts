/**
 * What every capability uses: cursor pages, JSON Schema validation of untyped values, and writes
 * run once per key. The folder's only entrance: code outside it imports from here.
 */
export * from './feed-cache.ts';
export * from './paging.ts';
export * from './run-once.ts';
export * from './validate.ts';
