// The PostgreSQL rows, measured in the same run as the SQLite ones: creates at both profiles
// (against raw argon2, and fast ones against the same create on SQLite), a list with a cached
// credential and an unknown credential's rejection (against the same calls on SQLite), two
// instances on one database against one, and the drivers Drizzle supports. PostgreSQL is
// `--pg URL` / KEYFORGE_BENCH_PG, else a throwaway server (scripts/postgres-cluster.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/postgres-cluster.js';
import { FAST_PATH } from './cases.js';
import { admin, argon2Baseline, inAlternation, load, uniquelyNamed, type Load } from './load.js';
import { children, ROOT, startKeyforge, tmp, type Started } from './processes.js';
import { ratioRow, report, reportBaseline } from './report.js';
import { DURATION, PG_URL, SLICES, VENDORS } from './settings.js';

export async function postgresCases(): Promise<void> {
  const cluster = PG_URL ? undefined : await startCluster();
  const server = PG_URL ?? cluster!.url;
  const created: string[] = [];
  const database = async (name: string) => {
    const db = `kf_bench_${name}_${Date.now().toString(36)}`;
    await adminQuery(server, `create database ${db}`);
    created.push(db);
    const url = new URL(server);
    url.pathname = `/${db}`;
    return url.toString();
  };
  try {
    await createRows(database);
    await fastPathRows(database);
    await clusterRow(database);
    await driverRows(await database('drivers'));
  } finally {
    for (const db of created)
      await adminQuery(server, `drop database if exists ${db} with (force)`).catch(() => undefined);
    cluster?.stop();
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

type Database = (name: string) => Promise<string>;

/** Creates on PostgreSQL: every vendor at owasp against raw argon2 (goal ≥ 90%); Baseten at fast against raw argon2 and SQLite. */
async function createRows(database: Database): Promise<void> {
  const owasp = await startKeyforge('owasp', await database('owasp'));
  try {
    for (const vendor of VENDORS) {
      const spec = uniquelyNamed(vendor, await admin(owasp.url, vendor));
      const [measured, baseline] = await inAlternation(
        [(s) => load(owasp.url, spec, s, '2xx'), (s) => argon2Baseline('owasp', s)],
        DURATION,
        SLICES,
      );
      ratioRow(`postgres: create ${vendor} (owasp)`, measured!, baseline!, 'argon2 owasp', 0.9);
    }
  } finally {
    await owasp.stop();
  }
  const fast = await startKeyforge('fast', await database('fast'));
  const sqlite = await startKeyforge('fast', join(tmp, 'pg-compare-fast.db'));
  try {
    const spec = uniquelyNamed('baseten', await admin(fast.url, 'baseten'));
    const sqliteSpec = uniquelyNamed('baseten', await admin(sqlite.url, 'baseten'));
    const [measured, onSqlite, baseline] = await inAlternation(
      [
        (s) => load(fast.url, spec, s, '2xx'),
        (s) => load(sqlite.url, sqliteSpec, s, '2xx'),
        (s) => argon2Baseline('fast', s),
      ],
      DURATION,
      SLICES,
    );
    ratioRow(
      'postgres: create baseten (fast)',
      measured!,
      baseline!,
      'argon2 fast',
      0.9,
      `${((measured!.perSecond / onSqlite!.perSecond) * 100).toFixed(0)}% of SQLite (${onSqlite!.perSecond.toFixed(0)}/s)`,
    );
  } finally {
    await Promise.all([fast.stop(), sqlite.stop()]);
  }
}

/** The fast path on PostgreSQL against the same calls on SQLite: lists (goal ≥ 70%) and rejections (reported). */
async function fastPathRows(database: Database): Promise<void> {
  const onPg = await startKeyforge('fast', await database('fastpath'));
  const onSqlite = await startKeyforge('fast', join(tmp, 'pg-compare-fastpath.db'));
  try {
    const pgSpec = await admin(onPg.url, 'baseten');
    const sqliteSpec = await admin(onSqlite.url, 'baseten');
    for (const { name, expect, spec } of FAST_PATH.filter((c) => !c.name.includes('invalid body'))) {
      const [measured, baseline] = await inAlternation(
        [(s) => load(onPg.url, spec(pgSpec), s, expect), (s) => load(onSqlite.url, spec(sqliteSpec), s, expect)],
        DURATION,
        SLICES,
      );
      reportBaseline(`baseline: ${name} on SQLite`, baseline!);
      ratioRow(`postgres: ${name}`, measured!, baseline!, 'SQLite', name.startsWith('list') ? 0.7 : null);
    }
  } finally {
    await Promise.all([onPg.stop(), onSqlite.stop()]);
  }
}

/** Two instances on one database (10 clients each) against one instance (20 clients): aggregate fast creates/s. */
async function clusterRow(database: Database): Promise<void> {
  const db = await database('cluster');
  const a = await startKeyforge('fast', db, undefined, ['--instance', 'a']);
  const b: Started = await startKeyforge('fast', db, undefined, ['--instance', 'b']);
  try {
    const specA = uniquelyNamed('baseten', await admin(a.url, 'baseten'));
    const specB = uniquelyNamed('baseten', await admin(b.url, 'baseten'));
    const both = async (s: number): Promise<Load> => {
      const [x, y] = await Promise.all([load(a.url, specA, s, '2xx', 10), load(b.url, specB, s, '2xx', 10)]);
      return {
        perSecond: x.perSecond + y.perSecond,
        p50: Math.max(x.p50, y.p50),
        p99: Math.max(x.p99, y.p99),
        ok: x.ok + y.ok,
        unexpected: x.unexpected + y.unexpected,
        errors: x.errors + y.errors,
      };
    };
    const [one, two] = await inAlternation([(s) => load(a.url, specA, s, '2xx'), both], DURATION, SLICES);
    reportBaseline('baseline: one instance, fast creates (baseten), 20 clients', one!);
    ratioRow(
      'postgres: two instances, fast creates (baseten), 2 x 10 clients',
      two!,
      one!,
      'one instance',
      null,
      'aggregate creates/s; both instances share these two cores',
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

/** The drivers Drizzle supports, on keyforge's list query (bench/pg-drivers.ts in a child process). */
async function driverRows(db: string): Promise<void> {
  const seeding = await startKeyforge('fast', db);
  await admin(seeding.url, 'baseten');
  await seeding.stop();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/pg-drivers.ts', db, String(DURATION), String(SLICES)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  children.delete(child);
  if (code !== 0) throw new Error(`bench/pg-drivers.ts exited with ${code}`);
  for (const line of out.trim().split('\n')) {
    const { driver, perSecond, cpuMicrosPerQuery } = JSON.parse(line) as {
      driver: string;
      perSecond: number;
      cpuMicrosPerQuery: number;
    };
    report({
      case: `postgres driver: ${driver}`,
      perSecond,
      p50: null,
      p99: null,
      value: cpuMicrosPerQuery,
      unit: 'µs',
      baseline: 'CPU per list query, client side',
      goal: 'report',
      pass: null,
    });
  }
}
