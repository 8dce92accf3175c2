import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // The container suite and the full rehearsal build the same image: one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
  },
});
