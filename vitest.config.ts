import { defineConfig } from 'vitest/config';

/** Unit and integration tests: plain Node, beside the code (design.md "Tests"). */
export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'bench/**/*.test.ts',
      'reliability/**/*.test.ts',
      'security/**/*.test.ts',
      'renderer/**/*.test.ts',
      'mutation/**/*.test.ts',
      'e2e/harness/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
