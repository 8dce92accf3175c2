import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'lambda/**/*.test.ts'],
    // Each file synthesizes its stacks once; synthesis is CPU-bound.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One module graph for all files of a worker: each file otherwise loads
    // aws-cdk-lib again (the suite took 287 s isolated, 65 s shared, on 2
    // cores). Files that mock SDK clients restore them when they end.
    isolate: false,
  },
});
