/**
 * What every capability uses: cursor pages and JSON Schema validation of untyped values. The folder's only
 * entrance: code outside it imports from here.
 */
export * from './paging.ts';
export * from './validate.ts';
