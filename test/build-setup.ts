// Once per `npm test`: the built files the tests run are the current sources'. The tests that
// spawn dist/start.cjs (test/start.test.ts, test/disable-proto.test.ts) would otherwise test
// whatever an earlier `npm run build` left, so when any input of the build is newer than the
// bundle, this runs `npm run build` (about 15 s). Otherwise it builds only the console page into
// dist/ui/ (a tenth of a second), which the tests that serve it and the browser tests read.
// After `npm ci` (CI, and .ci/node-lines' copies) the build is newer than its inputs: nothing
// is rebuilt.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsole } from '../scripts/build-console.js';
import { ROOT } from './support/process.js';

const BUNDLE = join(ROOT, 'dist', 'keyforge.bundle.cjs');
/** What `npm run build` reads: folders (all their files) and single files. */
const INPUTS = [
  'src',
  'console',
  'migrations',
  'scripts/bundle.ts',
  'scripts/bundle-patches.ts',
  'scripts/build-console.ts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** Why the bundle must be rebuilt, or null when it is current. */
function staleBecause(): string | null {
  if (!existsSync(BUNDLE)) return 'dist/ has no bundle';
  const built = statSync(BUNDLE).mtimeMs;
  const newer = INPUTS.filter((input) => newestChange(join(ROOT, input)) > built);
  return newer.length > 0 ? `changed since the last build: ${newer.join(', ')}` : null;
}

// vitest runs a global setup once per project that extends the root: the first one decides.
const ONCE = Symbol.for('keyforge.build-setup');
const shared = globalThis as { [ONCE]?: Promise<void> };

export default async function setup(): Promise<void> {
  await (shared[ONCE] ??= build());
}

async function build(): Promise<void> {
  const reason = staleBecause();
  if (reason === null) {
    await buildConsole();
    return;
  }
  console.log(`Building dist/ for the tests that run it (${reason})`);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
