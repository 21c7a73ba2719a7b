// Three projects; `npm test` runs them all, `npm run test:unit` only the first (under a minute):
// - unit: the app through inject() on :memory: SQLite, real argon2 at the fast profile; every
//   engine contract suite runs its SQLite half here.
// - integration: real processes (the built server, clusters, nginx, containers, the packed
//   tarball), PostgreSQL (a throwaway server from test/global-setup.ts; the contract suites'
//   PostgreSQL halves), and the files that mix both.
// - browser: Debian's Chromium driving the console and Swagger UI.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Real processes, or PostgreSQL throughout. */
const INTEGRATION = [
  'test/cluster/**/*.test.ts',
  'test/container/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/differential/**/*.test.ts',
  'test/server.test.ts',
  'test/start.test.ts',
  'test/reliability/crash-safety.test.ts',
];
/** Files that also run on PostgreSQL (they use test/support/postgres.ts): SQLite cases in unit, PostgreSQL ones in integration. */
const BOTH_ENGINES = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && readFileSync(`test/${file}`, 'utf8').includes('support/postgres.js'))
  .map((file) => `test/${file}`);
const BROWSER = ['test/browser/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ['test/lock-prototypes.ts'],
    // run-setup first: its last teardown, the check that nothing is left behind, runs after all others.
    globalSetup: ['test/run-setup.ts', 'test/build-setup.ts'],
    projects: [
      {
        extends: true,
        // One worker per core, not vitest's cores − 1: argon2 hashes on libuv's threads, so a
        // worker waits often, and on a 2-core machine the default of one worker took 85 s, two 61 s.
        // A project with its own worker count runs in its own group: unit first, then the others.
        test: {
          name: 'unit',
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: [...INTEGRATION, ...BROWSER, 'node_modules/**'],
          provide: { postgresUrl: '', engines: ['sqlite'] },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: [...INTEGRATION, ...BOTH_ENGINES],
          globalSetup: ['test/global-setup.ts', 'test/differential/differential-setup.ts'],
          provide: { engines: ['postgres'] },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: BROWSER,
          provide: { postgresUrl: '', engines: ['sqlite'] },
        },
      },
    ],
  },
});
