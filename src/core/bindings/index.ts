/**
 * Bindings: a discovered operation mapped onto a skill, validated against the scoped schema and compiled.
 * The folder's only entrance: code outside it imports from here.
 */
export * from './bindings.ts';
export * from './canonical-parameters.ts';
export * from './model.ts';
export * from './params.ts';
export * from './plan.ts';
export * from './projection.ts';
export * from './resolve.ts';
export * from './review.ts';
export * from './validate.ts';
export * from './validate-write.ts';
export * from './values.ts';
