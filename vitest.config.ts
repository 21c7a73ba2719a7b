// Three projects; `npm test` runs them all, `npm run test:unit` only the first (under a minute):
// - unit: the app through inject() on :memory: SQLite, real argon2 at the fast profile; every
//   engine contract suite runs its SQLite half here.
// - integration: real processes (the built server, clusters, nginx, containers, the packed
//   tarball), PostgreSQL (a throwaway server from test/global-setup.ts; the contract suites'
//   PostgreSQL halves), and the files that mix both.
// - browser: Debian's Chromium driving the console and Swagger UI.
import { defineConfig } from 'vitest/config';

/** Real processes, or PostgreSQL throughout. */
const INTEGRATION = ['test/cluster/**/*.test.ts', 'test/container/**/*.test.ts', 'test/package/**/*.test.ts', 'test/differential/**/*.test.ts', 'test/server.test.ts', 'test/start.test.ts', 'test/reliability/crash-safety.test.ts'];
/** Files whose cases run on SQLite in unit and again, on PostgreSQL, in integration. */
const BOTH_ENGINES = ['test/db/store.test.ts', 'test/db/shared-state.test.ts', 'test/keys/service.test.ts', 'test/admin/stream.test.ts', 'test/pipeline/journal-refusals.test.ts'];
const BROWSER = ['test/browser/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ['test/lock-prototypes.ts'],
    globalSetup: ['test/console-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...INTEGRATION, ...BROWSER, 'node_modules/**'], provide: { postgresUrl: '', engines: ['sqlite'] } },
      },
      {
        extends: true,
        test: { name: 'integration', include: [...INTEGRATION, ...BOTH_ENGINES], globalSetup: ['test/global-setup.ts'], provide: { engines: ['postgres'] } },
      },
      { extends: true, test: { name: 'browser', include: BROWSER, provide: { postgresUrl: '', engines: ['sqlite'] } } },
    ],
  },
});
