/**
 * Serving published skills: tool tables, invoke and its gates (confirmation tokens, replays), conversation
 * locks, the execution log, rate counts. The folder's only entrance: code outside it imports from here.
 */
export * from './call-replays.ts';
export * from './confirmations.ts';
export * from './conversation-locks.ts';
export * from './execution-log.ts';
export * from './missing-tool.ts';
export * from './model-calls.ts';
export * from './rate-counter.ts';
export * from './redact.ts';
export * from './runtime.ts';
export * from './tool-table.ts';
