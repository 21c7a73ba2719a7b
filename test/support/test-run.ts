// One directory per `npm test`, made by test/run-setup.ts and named in KEYFORGE_TEST_RUN_DIR,
// which every worker and every process the tests start inherit. Temporary directories go under
// its tmp/, and each process a test starts is written down in its processes/ (pid and kernel
// start time), so the check after the run (test/support/leftovers.ts) looks at what this run
// made and never at what other runs on the same machine have going.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_DIR_VARIABLE = 'KEYFORGE_TEST_RUN_DIR';

/** This run's directory, or undefined when the tests run without test/run-setup.ts. */
export const runDir = (): string | undefined => process.env[RUN_DIR_VARIABLE] || undefined;

export const tempRoot = (run: string) => join(run, 'tmp');
export const processesDir = (run: string) => join(run, 'processes');

/** Where this run's temporary directories go (the system's without a run directory). */
export function tempParent(): string {
  const run = runDir();
  return run ? tempRoot(run) : tmpdir();
}

/** A new temporary directory (`<prefix>XXXXXX`) under this run's; the caller removes it. */
export const testTempDir = (prefix: string): string => mkdtempSync(join(tempParent(), prefix));

/**
 * The kernel's start time of `pid` (field 22 of /proc/<pid>/stat, clock ticks since boot): with
 * the pid it names one process, not a later one given the same number. Undefined once it is
 * gone (a zombie has exited; only its exit status waits to be collected).
 */
export function startTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces; fields[0] is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
}

/** The process's command line, for reports. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** The pids of `pid`'s children (of every thread: the one that forked holds the child). */
export function childrenOf(pid: number): number[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return threads.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  for (let pending = childrenOf(pid); pending.length > 0;) {
    const next = pending.shift()!;
    found.push(next);
    pending.push(...childrenOf(next));
  }
  return found;
}

export interface ProcessRecord {
  pid: number;
  started: string;
  what: string;
  command: string;
}

/**
 * Writes down `pid` and the processes it has started so far as this run's (nginx's workers,
 * PostgreSQL's helpers, Chromium's zygotes), so the check after the run finds them even when
 * they outlive their parent. Without a run directory it does nothing.
 */
export function trackProcess(pid: number | undefined, what: string, run = runDir()): void {
  if (run === undefined || pid === undefined) return;
  for (const each of [pid, ...descendantsOf(pid)]) {
    const started = startTime(each);
    if (started === undefined) continue;
    const record: ProcessRecord = { pid: each, started, what, command: commandLine(each) };
    writeFileSync(join(processesDir(run), `${each}-${started}.json`), JSON.stringify(record));
  }
}

/** Whether the recorded process is still running (the same pid with the same start time). */
export const stillRunning = (record: { pid: number; started: string | undefined }) =>
  record.started !== undefined && startTime(record.pid) === record.started;

/** Writes down every process this one has started and their own (for what starts a tree, such as Chromium). */
export function trackChildren(what: string): void {
  for (const child of childrenOf(process.pid)) trackProcess(child, what);
}
