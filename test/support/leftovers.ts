// What a test run left behind: processes it started that are still alive, and temporary
// directories it made that are still there. A process is this run's when a test wrote it down
// (test/support/test-run.ts trackProcess), or when its environment names this run's directory
// (every process the tests start inherits KEYFORGE_TEST_RUN_DIR, unless it rewrites its
// environment block as nginx and PostgreSQL do for their titles: those are written down). So
// another run's processes, on the same machine at the same time, are never counted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  commandLine,
  processesDir,
  RUN_DIR_VARIABLE,
  startTime,
  stillRunning,
  tempRoot,
  type ProcessRecord,
} from './test-run.js';

export interface Leftovers {
  processes: ProcessRecord[];
  /** Entries of the run's temporary directory. */
  paths: string[];
}

export const nothingLeft = (left: Leftovers) => left.processes.length === 0 && left.paths.length === 0;

/** The run's leftovers; `ignore` names processes that are the run itself (vitest and its workers). */
export function findLeftovers(run: string, ignore: ReadonlySet<number> = new Set()): Leftovers {
  const found = new Map<number, ProcessRecord>();
  const dir = processesDir(run);
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProcessRecord;
    if (!ignore.has(record.pid) && stillRunning(record)) found.set(record.pid, record);
  }
  const marker = `\0${RUN_DIR_VARIABLE}=${run}\0`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || ignore.has(pid) || found.has(pid)) continue;
    let environment: string;
    try {
      environment = `\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`;
    } catch {
      continue; // gone meanwhile, or another user's
    }
    const started = startTime(pid);
    if (environment.includes(marker) && started !== undefined)
      found.set(pid, { pid, started, what: 'inherited this run’s environment', command: commandLine(pid) });
  }
  const temp = tempRoot(run);
  return {
    processes: [...found.values()],
    paths: existsSync(temp) ? readdirSync(temp).map((name) => join(temp, name)) : [],
  };
}

export function describeLeftovers(left: Leftovers): string {
  return [
    ...left.processes.map((p) => `process ${p.pid} (${p.what}) still running: ${p.command.slice(0, 200)}`),
    ...left.paths.map((path) => `temporary directory left: ${path}`),
  ].join('\n');
}
