// Start-up: how long from spawning what `npm start` runs to a health answer, on a new and an
// existing database; with --compare, the other build's start-ups alternate with this build's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { OTHER_BUILD } from './cases.js';
import { BANNER, children, ENTRY, THIS_BUILD, tmp, type Build } from './processes.js';
import { compareRow, report } from './report.js';
import { STARTUP_RUNS } from './settings.js';

/**
 * Start-up: spawn what `npm start` runs → banner → `GET /_keyforge/health` answers 200.
 * NODE_EXTRA_CA_CERTS is taken out of the server's environment: Node 20 parses that CA bundle
 * before any script runs (about 95 ms on a machine where it is set), and keyforge makes no TLS
 * connections. Reported alongside: `node -e 0` in the same environment, and, when the bench's
 * own environment sets the variable, the start-up with it.
 */
export async function startupCase(): Promise<void> {
  const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...env } = process.env;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const show = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  const row = (name: string, xs: number[], goal: boolean, baseline = 'spawn -> health 200') =>
    report({
      case: name,
      perSecond: null,
      p50: null,
      p99: null,
      value: median(xs),
      unit: 'ms',
      baseline,
      goal: goal ? '< 300 ms' : 'report',
      pass: goal ? median(xs) < 300 : null,
      note: `median of ${xs.length}: ${show(xs)} ms`,
    });

  const fresh: number[] = [];
  const restart: number[] = [];
  const otherFresh: number[] = [];
  const otherRestart: number[] = [];
  const inherited: number[] = [];
  const bareNode: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const db = join(tmp, `startup-${i}.db`);
    fresh.push(await timeStartup(db, env)); // new database: migrations, demo tenants (owasp, the default)
    restart.push(await timeStartup(db, env)); // the same database again: a restart
    if (OTHER_BUILD) {
      const otherDb = join(tmp, `startup-other-${i}.db`);
      otherFresh.push(await timeStartup(otherDb, env, OTHER_BUILD));
      otherRestart.push(await timeStartup(otherDb, env, OTHER_BUILD));
    }
    if (extraCaCerts !== undefined) inherited.push(await timeStartup(join(tmp, `startup-ca-${i}.db`), process.env));
    const started = performance.now();
    await new Promise((resolve) =>
      spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' }).once('exit', resolve),
    );
    bareNode.push(performance.now() - started);
  }
  row('start-up, new database (default flags)', fresh, true);
  row('start-up, existing database (restart)', restart, true);
  if (OTHER_BUILD) {
    compareRow('start-up, new database', median(fresh), median(otherFresh), 'time', OTHER_BUILD.name);
    compareRow('start-up, existing database', median(restart), median(otherRestart), 'time', OTHER_BUILD.name);
  }
  row('node -e 0 (process spawn alone)', bareNode, false, 'spawn -> exit');
  if (inherited.length > 0) row('start-up, new database, NODE_EXTRA_CA_CERTS set', inherited, false);
}

async function timeStartup(db: string, env: NodeJS.ProcessEnv, build: Build = THIS_BUILD): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [ENTRY, '--port', '0', '--db', db], {
    cwd: build.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000);
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      child.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        const match = BANNER.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
    const response = await fetch(`${url}/_keyforge/health`);
    if (response.status !== 200) throw new Error(`health answered ${response.status}`);
    await response.arrayBuffer();
    return performance.now() - started;
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) =>
      child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null),
    );
    children.delete(child);
  }
}
