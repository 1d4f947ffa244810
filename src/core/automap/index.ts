/**
 * Auto-map: a plain-language goal becomes the binding an operator would write. The folder's only entrance:
 * code outside it imports from here.
 */
export * from './automap.ts';
export * from './candidates.ts';
export * from './catalog.ts';
export * from './goal.ts';
export * from './lexicon.ts';
export * from './llm.ts';
export * from './match.ts';
export * from './projection.ts';
