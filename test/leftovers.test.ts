// The check that runs after `npm test` (test/run-setup.ts): it finds a run's processes by their
// environment or by what a test wrote down, never another run's, tells a process from a later
// one given the same pid, and lists temporary directories left in the run's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findLeftovers, nothingLeft } from './support/leftovers.js';
import { processesDir, RUN_DIR_VARIABLE, startTime, tempRoot, testTempDir, trackProcess } from './support/test-run.js';

/** A directory laid out as a run's, inside this run's temporary directory. */
function fakeRun(): string {
  const run = testTempDir('keyforge-fake-run-');
  mkdirSync(tempRoot(run));
  mkdirSync(processesDir(run));
  return run;
}

describe('what a test run left behind', () => {
  const children: ChildProcess[] = [];
  const runs: string[] = [];
  afterEach(async () => {
    await Promise.all(
      children
        .splice(0)
        .map((child) =>
          child.exitCode === null && child.signalCode === null
            ? new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'))
            : undefined,
        ),
    );
    for (const run of runs.splice(0)) rmSync(run, { recursive: true, force: true });
  });

  /** A process that runs until killed, its environment naming `run` as its test run. */
  const idle = (run: string) => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], {
      env: { ...process.env, [RUN_DIR_VARIABLE]: run },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };

  it("finds the run's processes by their environment or their record, and not another run's", async () => {
    const run = fakeRun();
    const other = fakeRun();
    runs.push(run, other);
    const inherited = idle(run);
    const recorded = idle(other);
    trackProcess(recorded.pid, 'started by a test of this run', run);
    const foreign = idle(other);

    const found = findLeftovers(run).processes;
    expect(found.map((p) => p.pid).sort()).toEqual([inherited.pid, recorded.pid].sort());
    expect(found.find((p) => p.pid === recorded.pid)).toMatchObject({
      what: 'started by a test of this run',
      command: expect.stringContaining('setInterval'),
    });
    expect(
      findLeftovers(other)
        .processes.map((p) => p.pid)
        .sort(),
    ).toEqual([recorded.pid, foreign.pid].sort());

    for (const child of [inherited, recorded])
      await new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'));
    expect(findLeftovers(run)).toEqual({ processes: [], paths: [] });
  });

  it('does not take a later process with a recorded pid for the recorded one', () => {
    const run = fakeRun();
    runs.push(run);
    const child = idle('/tmp/another-run'); // another run's, by its environment
    const record = {
      pid: child.pid!,
      started: String(Number(startTime(child.pid!)) - 1),
      what: 'exited long ago',
      command: '',
    };
    writeFileSync(join(processesDir(run), `${record.pid}-${record.started}.json`), JSON.stringify(record));
    expect(findLeftovers(run).processes).toEqual([]);
  });

  it('lists what is left in the run’s temporary directory, and leaves out the processes it is told to', () => {
    const run = fakeRun();
    runs.push(run);
    mkdirSync(join(tempRoot(run), 'keyforge-nginx-abc123'));
    const child = idle(run);
    const left = findLeftovers(run, new Set([child.pid!]));
    expect(left).toEqual({ processes: [], paths: [join(tempRoot(run), 'keyforge-nginx-abc123')] });
    expect(nothingLeft(left)).toBe(false);
  });
});
