// Once per `npm test`, first of the global setups so that its teardown runs last: makes this run's
// directory (test/support/test-run.ts) and, when every test file and every other teardown is
// done, fails the run if a process the tests started is still alive or a temporary directory is
// left. Found processes are then killed and the directory removed, so one failure does not leak
// into the next run. vitest only logs an error thrown by a teardown, so the exit status is set here.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLeftovers, findLeftovers, nothingLeft, type Leftovers } from './support/leftovers.js';
import { childrenOf, processesDir, RUN_DIR_VARIABLE, stillRunning, tempRoot } from './support/test-run.js';

/** A process told to stop may still be exiting when its test ends: it gets this long. */
const EXIT_GRACE_MS = 5_000;

/**
 * vitest runs a global setup once for the root project and once for each project extending it,
 * in one process: the first call makes the run's directory and the others share it; the check
 * runs in the teardown that releases it last, after every project's own teardowns (PostgreSQL's).
 */
interface SharedRun {
  holders: number;
  check: () => Promise<void>;
}
const SHARED = Symbol.for('keyforge.test-run');
const shared = globalThis as { [SHARED]?: SharedRun };

export default function setup(): () => Promise<void> {
  const state = (shared[SHARED] ??= { holders: 0, check: startRun() });
  state.holders++;
  return async () => {
    if (--state.holders > 0) return;
    delete shared[SHARED];
    await state.check();
  };
}

/** Makes the run's directory; answers the check of what the run left behind. */
function startRun(): () => Promise<void> {
  const run = mkdtempSync(join(tmpdir(), 'keyforge-test-run-'));
  mkdirSync(tempRoot(run));
  mkdirSync(processesDir(run));
  // PostgreSQL runs as its own user when the tests run as root: it must reach its directory.
  for (const dir of [run, tempRoot(run)]) chmodSync(dir, 0o711);
  process.env[RUN_DIR_VARIABLE] = run;

  return async () => {
    // vitest's own children (its workers, esbuild's service) inherit the variable too; they are
    // the runner, not something a test started. A test's processes are their children or orphans.
    const leftovers = () => findLeftovers(run, new Set([process.pid, ...childrenOf(process.pid)]));
    let left: Leftovers = leftovers();
    for (
      const deadline = Date.now() + EXIT_GRACE_MS;
      left.processes.length > 0 && Date.now() < deadline;
      left = leftovers()
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const record of left.processes) if (stillRunning(record)) process.kill(record.pid, 'SIGKILL');
    rmSync(run, { recursive: true, force: true });
    delete process.env[RUN_DIR_VARIABLE];
    if (!nothingLeft(left)) {
      process.exitCode = 1;
      throw new Error(`the tests left behind (now killed and removed):\n${describeLeftovers(left)}`);
    }
  };
}
