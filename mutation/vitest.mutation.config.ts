import { defineConfig } from 'vitest/config';

/**
 * Vitest for mutation runs (mutation/run.ts): only the test files that belong to the module
 * being mutated, named in MUTATION_TESTS, so that a module is judged by its own tests and a
 * run stays short. Everything else matches vitest.config.ts.
 */
const tests = (process.env.MUTATION_TESTS ?? '').split(',').filter((file) => file !== '');

export default defineConfig({
  test: {
    include: tests.length > 0 ? tests : ['mutation/no-module-selected'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
