import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // web/: the dashboard's component tests, each file opting into a DOM (// @vitest-environment happy-dom).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.tsx'],
    // Builds web/dist once (when stale) for the suites that serve the dashboard (dist/: test/support/build-server.ts).
    globalSetup: ['test/support/build-dashboard.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites share the local PostgreSQL/MariaDB servers; files run in parallel but each uses its own databases.
    pool: 'forks',
  },
});
