// The bench cases, run in order by bench/run.ts: creates per vendor and hash profile (against raw
// argon2id), fast-path calls (against a bare Fastify app), start-up time, and creates plus
// resident memory with a large database (against an empty one). Each reports its rows.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { admin, argon2Baseline, load, uniquelyNamed, type HashBaseline, type Load } from './load.js';
import { BANNER, children, ROOT, rssMb, startKeyforge, startProcess, tmp } from './processes.js';
import { ratioRow, report, reportBaseline } from './report.js';
import { seedDatabase } from './seed.js';
import { DURATION, LARGE_DB_KEYS, MEMORY_RUN_SECONDS, QUICK, STARTUP_RUNS, VENDORS, type Vendor } from './settings.js';

/**
 * Creates per vendor. The machine may be shared, so each case is judged against a raw argon2
 * baseline measured right before it (same profile, concurrency, duration, threadpool size).
 */
export async function createCases(profile: 'owasp' | 'fast'): Promise<Map<Vendor, Load>> {
  const server = await startKeyforge(profile, join(tmp, `${profile}.db`));
  const loads = new Map<Vendor, Load>();
  let baseline: HashBaseline | undefined;
  try {
    for (const vendor of VENDORS) {
      const spec = uniquelyNamed(vendor, await admin(server.url, vendor));
      // Quick mode measures the baseline once per profile, to stay within its time budget.
      if (!QUICK || baseline === undefined) {
        baseline = await argon2Baseline(profile, DURATION);
        reportBaseline(`baseline: argon2id ${profile}, 20 concurrent`, baseline);
      }
      const measured = await load(server.url, spec, DURATION, '2xx');
      loads.set(vendor, measured);
      ratioRow(`create ${vendor} (${profile})`, measured, baseline, `argon2 ${profile}`, 0.9);
    }
  } finally {
    await server.stop();
  }
  return loads;
}

/**
 * Calls that cost no argon2 work, each judged against the bare Fastify app (running alongside,
 * idle until its turn) measured right before it.
 */
export async function fastPathCases(): Promise<void> {
  const bareServer = await startProcess(['--import', 'tsx', 'bench/bare-fastify.ts'], /bare fastify listening on (http:\/\/\S+)/);
  const server = await startKeyforge('fast', join(tmp, 'fastpath.db'));
  const bare = async () => {
    const measured = await load(bareServer.url, { method: 'POST', path: '/echo', headers: {}, body: { name: 'x', type: 'PERSONAL' } }, DURATION, '2xx');
    reportBaseline('baseline: bare fastify POST', measured);
    return measured;
  };
  try {
    const spec = await admin(server.url, 'baseten');
    // Unknown credential: well-formed, but its lookup id names no key (no argon2 work).
    const unknown = { ...spec, headers: { ...spec.headers, Authorization: 'Api-Key zzzzzzzz.00000000000000000000000000000000' } };
    let baseline = await bare();
    ratioRow('reject: unknown credential (baseten)', await load(server.url, unknown, DURATION, '4xx'), baseline, 'bare fastify', 0.5);
    // Invalid body with a valid (cached after its first verification) credential.
    const invalid = { ...spec, body: { name: 5 } };
    baseline = await bare();
    ratioRow('reject: invalid body (baseten)', await load(server.url, invalid, DURATION, '4xx'), baseline, 'bare fastify', 0.5);
    // Authenticated list with a cached credential (the tenant holds its root key only).
    const list = { method: 'GET', path: '/v1/api_keys', headers: spec.headers };
    baseline = await bare();
    ratioRow('list keys, cached credential (baseten)', await load(server.url, list, DURATION, '2xx'), baseline, 'bare fastify', 0.5);
  } finally {
    await server.stop();
    await bareServer.stop();
  }
}

export async function startupCase(): Promise<void> {
  const fresh: number[] = [];
  const restart: number[] = [];
  const once = async (db: string): Promise<number> => {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/server.js', '--port', '0', '--db', db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
  };
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const db = join(tmp, `startup-${i}.db`);
    fresh.push(await once(db)); // new database: migrations, demo tenants hashed (owasp, the default)
    restart.push(await once(db)); // the same database again: a restart
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const show = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  for (const [name, xs] of [
    ['start-up, new database (default flags)', fresh],
    ['start-up, existing database (restart)', restart],
  ] as const) {
    const value = median(xs);
    report({
      case: name,
      perSecond: null,
      p50: null,
      p99: null,
      value,
      unit: 'ms',
      baseline: 'spawn -> health 200',
      goal: '< 300 ms',
      pass: value < 300,
      note: `median of ${STARTUP_RUNS}: ${show(xs)} ms`,
    });
  }
}

export async function largeDatabaseCases(): Promise<void> {
  const vendor: Vendor = 'baseten';
  // Empty database: the reference rate.
  const empty = await startKeyforge('fast', join(tmp, 'empty.db'));
  let emptyLoad: Load;
  try {
    emptyLoad = await load(empty.url, uniquelyNamed(vendor, await admin(empty.url, vendor)), DURATION, '2xx');
  } finally {
    await empty.stop();
  }
  const bigDb = join(tmp, 'large.db');
  const seeded = await seedDatabase(bigDb, LARGE_DB_KEYS);
  const label = QUICK ? `${LARGE_DB_KEYS / 1000}k keys (quick mode, not 1M)` : '1M keys';
  process.stdout.write(`(seeded ${seeded.keys} keys in ${seeded.seconds.toFixed(1)} s${QUICK ? ' — quick mode uses a smaller database than the 1,000,000-key goal' : ''})\n`);
  const big = await startKeyforge('fast', bigDb);
  try {
    const spec = uniquelyNamed(vendor, await admin(big.url, vendor));
    const measured = await load(big.url, spec, DURATION, '2xx');
    ratioRow(`create ${vendor} (fast), ${label} stored`, measured, emptyLoad, 'empty db', 0.9);
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
    await big.stop();
  }
}
