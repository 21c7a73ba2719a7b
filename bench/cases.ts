// The bench cases, run in order by bench/run.ts: creates per vendor and hash profile (against raw
// argon2id), fast-path calls (against a bare Fastify app), start-up time, and creates plus
// resident memory with a large database (against an empty one). Each reports its rows.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { admin, argon2Baseline, inAlternation, load, uniquelyNamed, type Load, type RequestSpec } from './load.js';
import { BANNER, children, ENTRY, ROOT, rssMb, startKeyforge, startProcess, tmp } from './processes.js';
import { ratioRow, report, reportBaseline } from './report.js';
import { seedDatabase } from './seed.js';
import { DURATION, LARGE_DB_KEYS, MEMORY_RUN_SECONDS, QUICK, SLICES, STARTUP_RUNS, VENDORS, type Vendor } from './settings.js';

/**
 * Creates per vendor. The machine may be shared, so each case is judged against a raw argon2
 * baseline measured in alternation with it (same profile, concurrency, duration, threadpool size).
 * At the fast profile, a bare Fastify handler that only hashes (bench/bare-fastify.ts) is measured
 * too: what the stack itself reaches, shown in each row's note.
 */
export async function createCases(profile: 'owasp' | 'fast'): Promise<Map<Vendor, Load>> {
  const server = await startKeyforge(profile, join(tmp, `${profile}.db`));
  const bareServer = profile === 'fast' ? await startBareFastify() : undefined;
  const loads = new Map<Vendor, Load>();
  let baseline: Load | undefined;
  let ceiling: Load | undefined;
  try {
    for (const vendor of VENDORS) {
      const spec = uniquelyNamed(vendor, await admin(server.url, vendor));
      const runs = [(seconds: number) => load(server.url, spec, seconds, '2xx')];
      // Quick mode measures the baselines once per profile, to stay within its time budget.
      const measureBaselines = !QUICK || baseline === undefined;
      if (measureBaselines) runs.push((seconds) => argon2Baseline(profile, seconds));
      if (measureBaselines && bareServer) {
        runs.push((seconds) => load(bareServer.url, { method: 'POST', path: `/hash/${profile}`, headers: {}, body: { name: 'x' } }, seconds, '2xx'));
      }
      const [measured, ...baselines] = await inAlternation(runs, DURATION, SLICES);
      if (measureBaselines) {
        [baseline, ceiling] = baselines;
        reportBaseline(`baseline: argon2id ${profile}, 20 concurrent`, baseline!);
        if (ceiling) reportBaseline(`baseline: bare fastify + argon2id ${profile}`, ceiling);
      }
      loads.set(vendor, measured!);
      const note = ceiling && `${((measured!.perSecond / ceiling.perSecond) * 100).toFixed(0)}% of bare fastify + argon2 (${ceiling.perSecond.toFixed(0)}/s)`;
      ratioRow(`create ${vendor} (${profile})`, measured!, baseline!, `argon2 ${profile}`, 0.9, note);
    }
  } finally {
    await server.stop();
    await bareServer?.stop();
  }
  return loads;
}

const startBareFastify = () => startProcess(['--import', 'tsx', 'bench/bare-fastify.ts'], /bare fastify listening on (http:\/\/\S+)/);

/**
 * Calls that cost no argon2 work, each judged against the bare Fastify app (running alongside,
 * idle until its turn), the two measured in alternation.
 */
export async function fastPathCases(): Promise<void> {
  const bareServer = await startBareFastify();
  const server = await startKeyforge('fast', join(tmp, 'fastpath.db'));
  const bare = { method: 'POST', path: '/echo', headers: {}, body: { name: 'x', type: 'PERSONAL' } };
  const judge = async (name: string, spec: RequestSpec, expect: '2xx' | '4xx') => {
    const [baseline, measured] = await inAlternation(
      [(seconds) => load(bareServer.url, bare, seconds, '2xx'), (seconds) => load(server.url, spec, seconds, expect)],
      DURATION,
      SLICES,
    );
    reportBaseline('baseline: bare fastify POST', baseline!);
    ratioRow(name, measured!, baseline!, 'bare fastify', 0.5);
  };
  try {
    const spec = await admin(server.url, 'baseten');
    // Unknown credential: well-formed, but its lookup id names no key (no argon2 work).
    await judge('reject: unknown credential (baseten)', { ...spec, headers: { ...spec.headers, Authorization: 'Api-Key zzzzzzzz.00000000000000000000000000000000' } }, '4xx');
    // Invalid body with a valid (cached after its first verification) credential.
    await judge('reject: invalid body (baseten)', { ...spec, body: { name: 5 } }, '4xx');
    // Authenticated list with a cached credential (the tenant holds its root key only).
    await judge('list keys, cached credential (baseten)', { method: 'GET', path: '/v1/api_keys', headers: spec.headers }, '2xx');
  } finally {
    await server.stop();
    await bareServer.stop();
  }
}

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
  const inherited: number[] = [];
  const bareNode: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const db = join(tmp, `startup-${i}.db`);
    fresh.push(await timeStartup(db, env)); // new database: migrations, demo tenants (owasp, the default)
    restart.push(await timeStartup(db, env)); // the same database again: a restart
    if (extraCaCerts !== undefined) inherited.push(await timeStartup(join(tmp, `startup-ca-${i}.db`), process.env));
    const started = performance.now();
    await new Promise((resolve) => spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' }).once('exit', resolve));
    bareNode.push(performance.now() - started);
  }
  row('start-up, new database (default flags)', fresh, true);
  row('start-up, existing database (restart)', restart, true);
  row('node -e 0 (process spawn alone)', bareNode, false, 'spawn -> exit');
  if (inherited.length > 0) row('start-up, new database, NODE_EXTRA_CA_CERTS set', inherited, false);
}

async function timeStartup(db: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [ENTRY, '--port', '0', '--db', db], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null)));
    children.delete(child);
  }
}

/**
 * Creates against a large database, judged against an empty one. The machine's speed drifts
 * by more than the goal's margin within a minute, so the two servers run side by side and are
 * measured in alternation (four slices each, DURATION in total per server), not one after the
 * other.
 */
export async function largeDatabaseCases(): Promise<void> {
  const vendor: Vendor = 'baseten';
  const bigDb = join(tmp, 'large.db');
  const seeded = await seedDatabase(bigDb, LARGE_DB_KEYS);
  const label = QUICK ? `${LARGE_DB_KEYS / 1000}k keys (quick mode, not 1M)` : '1M keys';
  process.stdout.write(`(seeded ${seeded.keys} keys in ${seeded.seconds.toFixed(1)} s${QUICK ? ' — quick mode uses a smaller database than the 1,000,000-key goal' : ''})\n`);
  const empty = await startKeyforge('fast', join(tmp, 'empty.db'));
  const big = await startKeyforge('fast', bigDb);
  try {
    const emptySpec = uniquelyNamed(vendor, await admin(empty.url, vendor));
    const spec = uniquelyNamed(vendor, await admin(big.url, vendor));
    // Four slices even in quick mode: this case is about the two databases, not the time budget.
    const [emptyRate, bigRate] = await inAlternation(
      [(seconds) => load(empty.url, emptySpec, seconds, '2xx'), (seconds) => load(big.url, spec, seconds, '2xx')],
      DURATION,
      4,
    );
    await empty.stop();
    ratioRow(`create ${vendor} (fast), ${label} stored`, bigRate!, emptyRate!, 'empty db', 0.9, 'measured in alternation');
    // Keep creating until MEMORY_RUN_SECONDS of creates have run, then read the server's RSS.
    const rest = MEMORY_RUN_SECONDS - DURATION;
    if (rest > 0) await load(big.url, spec, rest, '2xx');
    const rss = rssMb(big.child.pid!);
    report({
      case: `resident memory, ${label}, after ${MEMORY_RUN_SECONDS} s creates`,
      perSecond: null,
      p50: null,
      p99: null,
      value: rss,
      unit: 'MB',
      baseline: 'VmRSS of the server',
      goal: '< 200 MB',
      pass: rss === null ? null : rss < 200,
    });
  } finally {
    await empty.stop();
    await big.stop();
  }
}
