import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Generous: CI runs the three workspaces' suites at once on 2 cores.
    testTimeout: 30_000,
  },
});
