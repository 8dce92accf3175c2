import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'lambda/**/*.test.ts'],
    // Synthesis is CPU-bound: app.test.ts and the hook tests synthesize the whole app.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One module graph for all files of a worker: each file otherwise loads
    // aws-cdk-lib again (the suite took 287 s isolated, 65 s shared, on 2
    // cores). Files that mock SDK clients restore them when they end.
    isolate: false,
  },
});
