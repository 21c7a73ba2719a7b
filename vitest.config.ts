import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // run-setup first: its teardown, the check that nothing is left behind, runs last.
    globalSetup: ['test/run-setup.ts', 'test/global-setup.ts', 'test/console-setup.ts'],
    setupFiles: ['test/lock-prototypes.ts'],
    exclude: ['test/slow/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
