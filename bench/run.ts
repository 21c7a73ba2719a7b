// `npm run bench [-- --quick]`: measures keyforge (dist/server.js in a child process on
// 127.0.0.1, port 0) with autocannon, and the baselines it is judged against in the same run:
// raw argon2id hashing (bench/argon2-baseline.ts) and a bare Fastify POST handler
// (bench/bare-fastify.ts). Prints a table and writes bench/results/latest.json.
// Every case is bounded in time; every child is killed on the way out (also on errors/^C).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { seedDatabase } from './seed.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUICK = process.argv.includes('--quick');
const CONNECTIONS = 20;
/** Seconds per throughput case. */
const DURATION = QUICK ? 1.5 : 10;
const LARGE_DB_KEYS = QUICK ? 50_000 : 1_000_000;
/** The create run after which resident memory is read (started on the large database). */
const MEMORY_RUN_SECONDS = QUICK ? 3 : 30;
const STARTUP_RUNS = QUICK ? 2 : 5;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const VENDORS = ['basic', 'baseten', 'bytebeam', 'peaka', 'imtegrate'] as const;
type Vendor = (typeof VENDORS)[number];
/** The body field that names a key; every create gets a unique name (Bytebeam requires it). */
const NAME_FIELD: Record<Vendor, string> = { basic: 'label', baseten: 'name', bytebeam: 'name', peaka: 'name', imtegrate: 'name' };

const tmp = mkdtempSync(join(tmpdir(), 'keyforge-bench-'));
const children = new Set<ChildProcess>();

// ---------------------------------------------------------------------------- processes

function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}
process.on('exit', () => {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Spawns `node <args>` and resolves with the URL it prints (matching `pattern`). */
function startProcess(args: string[], pattern: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

const BANNER = /keyforge listening on (http:\/\/\S+)/;

function startKeyforge(profile: 'owasp' | 'fast', db: string): Promise<Started> {
  return startProcess(
    ['dist/server.js', '--port', '0', '--host', '127.0.0.1', '--db', db, '--hash-profile', profile, '--admin-token', ADMIN_TOKEN, '--no-demo'],
    BANNER,
  );
}

/** Resident set size of a process, from /proc (Linux), in MB. */
function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------- load

interface RequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  unexpected: number;
  errors: number;
}

/**
 * Runs autocannon with 20 connections for `seconds`; `expect` is the status class that counts
 * (2xx for creates and lists, 4xx for rejections). A body containing `[<id>]` gets a unique id.
 */
const ID = '[<id>]';
const runId = Date.now().toString(36);
let sequence = 0;
const nextId = () => `${runId}-${(sequence++).toString(36)}`;

async function load(url: string, spec: RequestSpec, seconds: number, expect: '2xx' | '4xx'): Promise<Load> {
  const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
  const result = await autocannon({
    url: url + spec.path,
    method: spec.method,
    headers: { ...spec.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
    // A body naming `[<id>]` gets a fresh unique id per request (autocannon's own idReplacement
    // miscounts Content-Length with its bundled hyperid, so the body is rebuilt here instead).
    ...(body?.includes(ID) ? { requests: [{ setupRequest: (request: { body?: string }) => ({ ...request, body: body.replaceAll(ID, nextId()) }) }] } : {}),
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
  });
  const ok = result[expect];
  const all = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    unexpected: all - ok,
    errors: result.errors + result.timeouts,
  };
}

async function admin(url: string, vendor: Vendor): Promise<RequestSpec> {
  const response = await fetch(`${url}/_keyforge/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ vendor }),
  });
  if (response.status !== 201) throw new Error(`POST /_keyforge/tenants ${vendor}: ${response.status} ${await response.text()}`);
  const { request } = (await response.json()) as { request: RequestSpec };
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([h]) => h.toLowerCase() !== 'content-type'));
  return { ...request, headers };
}

/** The admin API's create request, with a unique key name per request. */
function uniquelyNamed(vendor: Vendor, spec: RequestSpec): RequestSpec {
  return { ...spec, body: { ...(spec.body as object), [NAME_FIELD[vendor]]: `bench-${ID}` } };
}

// ---------------------------------------------------------------------------- baselines

interface HashBaseline {
  perSecond: number;
  p50: number;
  p99: number;
  ops: number;
}

async function argon2Baseline(profile: 'owasp' | 'fast', seconds: number): Promise<HashBaseline> {
  // Same environment as the server children, hence the same UV_THREADPOOL_SIZE.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/argon2-baseline.ts', profile, String(CONNECTIONS), String(seconds)], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  children.delete(child);
  if (code !== 0) throw new Error(`argon2 baseline (${profile}) exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as HashBaseline;
}

// ---------------------------------------------------------------------------- results

interface Row {
  case: string;
  perSecond: number | null;
  p50: number | null;
  p99: number | null;
  /** The measured value compared with the goal: a ratio, milliseconds or megabytes. */
  value: number | null;
  unit: 'ratio' | 'ms' | 'MB' | 'req/s';
  baseline: string;
  goal: string;
  pass: boolean | null;
  note?: string;
}

const rows: Row[] = [];

function ratioRow(name: string, measured: Load, baseline: { perSecond: number }, baselineName: string, goal: number, note?: string): Row {
  const ratio = measured.perSecond / baseline.perSecond;
  const extra = [measured.unexpected ? `${measured.unexpected} unexpected statuses` : '', measured.errors ? `${measured.errors} errors` : '', note ?? '']
    .filter(Boolean)
    .join('; ');
  const row: Row = {
    case: name,
    perSecond: measured.perSecond,
    p50: measured.p50,
    p99: measured.p99,
    value: ratio,
    unit: 'ratio',
    baseline: `${baselineName} ${baseline.perSecond.toFixed(0)}/s`,
    goal: `>= ${(goal * 100).toFixed(0)}%`,
    pass: ratio >= goal && measured.unexpected === 0,
    ...(extra ? { note: extra } : {}),
  };
  report(row);
  return row;
}

function reportBaseline(name: string, measured: { perSecond: number; p50: number; p99: number }): void {
  report({ case: name, perSecond: measured.perSecond, p50: measured.p50, p99: measured.p99, value: null, unit: 'req/s', baseline: '-', goal: '-', pass: null });
}

function report(row: Row): void {
  rows.push(row);
  const fmt = (n: number | null, d = 0) => (n === null ? '-' : n.toFixed(d));
  const value = row.value === null ? '-' : row.unit === 'ratio' ? `${(row.value * 100).toFixed(1)}%` : `${fmt(row.value, 1)} ${row.unit}`;
  const verdict = row.pass === null ? 'report' : row.pass ? 'PASS' : 'FAIL';
  process.stdout.write(
    `${row.case.padEnd(44)} ${fmt(row.perSecond).padStart(7)} req/s  p50 ${fmt(row.p50, 1).padStart(6)} ms  p99 ${fmt(row.p99, 1).padStart(6)} ms  ${value.padStart(9)} vs ${row.baseline.padEnd(24)} goal ${row.goal.padEnd(8)} ${verdict}${row.note ? `  (${row.note})` : ''}\n`,
  );
}

function table(): string {
  const header = ['case', 'req/s', 'p50 ms', 'p99 ms', 'result', 'baseline', 'goal', 'pass'];
  const lines = rows.map((r) => [
    r.case,
    r.perSecond === null ? '-' : r.perSecond.toFixed(0),
    r.p50 === null ? '-' : r.p50.toFixed(1),
    r.p99 === null ? '-' : r.p99.toFixed(1),
    r.value === null ? '-' : r.unit === 'ratio' ? `${(r.value * 100).toFixed(1)}%` : `${r.value.toFixed(r.unit === 'MB' ? 0 : 0)} ${r.unit}`,
    r.baseline,
    r.goal,
    r.pass === null ? 'reported' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [md(header), md(header.map(() => '---')), ...lines.map(md)].join('\n');
}

// ---------------------------------------------------------------------------- cases

/**
 * Creates per vendor. The machine may be shared, so each case is judged against a raw argon2
 * baseline measured right before it (same profile, concurrency, duration, threadpool size).
 */
async function createCases(profile: 'owasp' | 'fast'): Promise<Map<Vendor, Load>> {
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
async function fastPathCases(): Promise<void> {
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

async function startupCase(): Promise<void> {
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

async function largeDatabaseCases(): Promise<void> {
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

// ---------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = performance.now();
  try {
    readFileSync(join(ROOT, 'dist/server.js'));
  } catch {
    throw new Error('dist/server.js is missing: run `npm run build` (npm run bench does)');
  }
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const machine = {
    nproc: cpus().length,
    cpu: cpuModel,
    node: process.version,
    threadpool: process.env.UV_THREADPOOL_SIZE ?? 'default (4)',
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
  process.stdout.write(
    `keyforge bench${QUICK ? ' (quick)' : ''}: ${DURATION} s per case, ${CONNECTIONS} connections; ${machine.nproc} CPUs (${machine.cpu}), node ${machine.node}, UV_THREADPOOL_SIZE ${machine.threadpool}, load ${machine.loadAverage}\n\n`,
  );

  await createCases('owasp');
  const fast = await createCases('fast');
  const fastP99 = Math.max(...[...fast.values()].map((l) => l.p99));
  report({
    case: 'p99 create latency (fast, 20 clients)',
    perSecond: null,
    p50: null,
    p99: fastP99,
    value: fastP99,
    unit: 'ms',
    baseline: 'worst vendor',
    goal: 'report',
    pass: null,
    note: VENDORS.map((v) => `${v} ${fast.get(v)!.p99.toFixed(1)}`).join(', '),
  });
  await fastPathCases();
  await startupCase();
  await largeDatabaseCases();

  const seconds = (performance.now() - started) / 1000;
  const markdown = table();
  process.stdout.write(`\n${markdown}\n\n${rows.filter((r) => r.pass === false).length} of ${rows.filter((r) => r.pass !== null).length} goals failed; ${seconds.toFixed(0)} s\n`);
  writeFileSync(
    join(ROOT, 'bench/results/latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), quick: QUICK, durationSeconds: DURATION, connections: CONNECTIONS, largeDbKeys: LARGE_DB_KEYS, machine, seconds, rows, markdown }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
