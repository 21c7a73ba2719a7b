// Child processes of the bench: the repository root, a temporary directory for databases,
// tracking of every child so all are killed on the way out (also on errors/^C), starting a
// process and waiting for the URL it prints, starting keyforge, and reading a process's RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from './settings.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const tmp = mkdtempSync(join(tmpdir(), 'keyforge-bench-'));
/** Every running child; add each one spawned, delete it once it has exited. */
export const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}
process.on('exit', () => {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Spawns `node <args>` (in `cwd`, default the repository) and resolves with the URL it prints (matching `pattern`). */
export function startProcess(
  args: string[],
  pattern: RegExp,
  env: NodeJS.ProcessEnv = process.env,
  cwd = ROOT,
): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000); // drained, so the child never blocks on a full pipe
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${output}`)), 30_000);
    const onData = () => {
      const match = pattern.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        url: match[1]!,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timeout);
          children.delete(child);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

export const BANNER = /keyforge listening on (http:\/\/\S+)/;

/** What `npm start` runs: the bundled server with its code cache (scripts/bundle.ts). */
export const ENTRY = 'dist/start.cjs';

/** A build of keyforge to start: this repository's, or another checkout's (`--compare DIR`). */
export interface Build {
  name: string;
  root: string;
}
export const THIS_BUILD: Build = { name: 'this build', root: ROOT };

export function startKeyforge(
  profile: 'owasp' | 'fast',
  db: string,
  build: Build = THIS_BUILD,
  extraArgs: string[] = [],
): Promise<Started> {
  return startProcess(
    [
      ENTRY,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--db',
      db,
      '--hash-profile',
      profile,
      '--admin-token',
      ADMIN_TOKEN,
      '--no-demo',
      ...extraArgs,
    ],
    BANNER,
    process.env,
    build.root,
  );
}

/** Resident set size of a process, from /proc (Linux), in MB. */
export function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
