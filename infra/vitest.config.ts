import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'lambda/**/*.test.ts'],
    // Each file synthesizes its stacks once; synthesis is CPU-bound.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
