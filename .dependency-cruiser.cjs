/**
 * The import graph's rules (`npx depcruise src`, checked by test/import-graph.test.ts). Written by
 * folder prefix so they hold however src/core is grouped into subfolders.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      comment: 'A cycle of value imports makes module evaluation order matter: none in src/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-cycle',
      comment:
        'No cycle at all, type imports included, outside core and providers: their contract types still refer to each other (providers/types.ts names core/bindings types and core names provider types), type-only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(core|providers)/|^src/config\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'core-and-providers-know-no-http-or-sandbox',
      comment: 'Core and providers are used by the HTTP layer and the fakes, never the other way round.',
      severity: 'error',
      from: { path: '^src/(core|providers)/' },
      to: { path: '^src/(http|sandbox)/' },
    },
    {
      name: 'sandbox-only-by-dynamic-import',
      comment:
        'The fakes load only with FLOWYTE_SANDBOX=1: production code imports them dynamically or for types.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox/|\\.test\\.ts$' },
      to: { path: '^src/sandbox/', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'src-does-not-import-tests',
      comment: 'Test fixtures live under test/; the product never imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
