// Starts the real server process (`src/server.ts` through tsx, or another entry such as the
// built dist/start.cjs) and waits for its banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackProcess } from './test-run.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Servers still running when the test worker exits are killed, even after a failed test. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** How tests run the server by default: the source, through tsx. */
export const SOURCE_ENTRY = ['--import', 'tsx', 'src/server.ts'];

export function runServer(args: string[], env: Record<string, string> = {}, entry = SOURCE_ENTRY): ChildProcess {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  trackProcess(child.pid, `keyforge ${args.join(' ')}`);
  return child;
}

/** Spawns the server and resolves once it prints where it listens. */
export function startServer(
  args: string[],
  env: Record<string, string> = {},
  entry = SOURCE_ENTRY,
): Promise<RunningServer> {
  const child = runServer(args, env, entry);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // else it goes on starting, and outlives the test
      reject(new Error(`server did not start:\n${output}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /keyforge listening on (http:\/\/\S+)/.exec(output);
      if (match && output.includes('Admin token:')) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          output: () => output,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

/** Runs the server to completion (for start-up failures) and returns its exit code and output. */
export function runToExit(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runServer(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
