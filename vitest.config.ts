import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites share the local PostgreSQL/MariaDB servers; files run in parallel but each uses its own databases.
    pool: 'forks',
  },
});
