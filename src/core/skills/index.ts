/**
 * Skill kinds and their model, the executor, and provisioning of actions and packs as skills. The folder's
 * only entrance: code outside it imports from here.
 */
export * from './compat.ts';
export * from './executor.ts';
export * from './kinds.ts';
export * from './model.ts';
export * from './packs.ts';
export * from './provisioning.ts';
