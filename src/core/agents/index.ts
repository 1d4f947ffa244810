/**
 * Agents, their draft skills, published versions and the live pointer each instance serves. The folder's
 * only entrance: code outside it imports from here.
 */
export * from './agents.ts';
export * from './live-pointers.ts';
export * from './model.ts';
export * from './versions.ts';
