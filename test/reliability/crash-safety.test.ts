// The real server process under a create storm: SIGKILL it at several points, restart it on
// the same database file, and every key whose create answer a client received must still
// exist and authenticate; the file must pass SQLite's integrity check. SIGTERM instead must
// let in-flight requests finish with full answers and exit 0.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { startServer, type RunningServer } from '../support/process.js';
import { createBody, issuedSecret, VENDOR_NAMES, type Tenant, type VendorName } from './support.js';
import { testTempDir } from '../support/test-run.js';

const ADMIN_TOKEN = 'crash-safety-admin-token';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const dir = testTempDir('keyforge-crash-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (db: string) =>
  startServer([
    '--port',
    '0',
    '--db',
    db,
    '--hash-profile',
    'fast',
    '--log-level',
    'warn',
    '--admin-token',
    ADMIN_TOKEN,
  ]);

async function createTenant(url: string, vendor: VendorName): Promise<Tenant> {
  const res = await fetch(`${url}/_keyforge/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ vendor }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Tenant;
}

interface Received {
  vendor: VendorName;
  secret: string;
}

/** Sends the tenant's create request with a unique body; the secret once the whole answer has arrived. */
async function create(url: string, tenant: Tenant, unique: string): Promise<Received> {
  const res = await fetch(`${url}${tenant.request.path}`, {
    method: 'POST',
    headers: tenant.request.headers,
    body: JSON.stringify(createBody(tenant, unique)),
  });
  const text = await res.text();
  if (res.status !== 200 && res.status !== 201) throw new Error(`create answered ${res.status}: ${text}`);
  return { vendor: tenant.vendor, secret: issuedSecret(tenant.vendor, JSON.parse(text) as Record<string, unknown>) };
}

/** The same over node:http with a chosen agent (keep-alive or not). */
function createOver(agent: Agent, url: string, tenant: Tenant, unique: string): Promise<Received> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(createBody(tenant, unique));
    const req = request(
      `${url}${tenant.request.path}`,
      { method: 'POST', agent, headers: { ...tenant.request.headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200 && res.statusCode !== 201)
            return reject(new Error(`create answered ${res.statusCode}: ${text}`));
          resolve({
            vendor: tenant.vendor,
            secret: issuedSecret(tenant.vendor, JSON.parse(text) as Record<string, unknown>),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Several clients create keys as fast as they can, each cycling through the tenants; once
 * `killAfter` answers have arrived the server gets SIGKILL. Resolves with every answer a
 * client received completely (including those that raced the kill).
 */
async function stormUntilKilled(
  server: RunningServer,
  tenants: Tenant[],
  killAfter: number,
  round: number,
): Promise<Received[]> {
  const received: Received[] = [];
  let killed = false;
  const client = async (c: number) => {
    for (let i = 0; ; i++) {
      const tenant = tenants[(c + i) % tenants.length]!;
      try {
        received.push(await create(server.url, tenant, `r${round}-c${c}-${i}`));
      } catch (err) {
        if (killed) return; // the connection died with the server
        throw err;
      }
      if (received.length >= killAfter && !killed) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
  expect(killed).toBe(true);
  return received;
}

/** The sqlite3 command-line tool, where installed (.ci/run installs it). */
const SQLITE3_CLI = ['/usr/bin/sqlite3', '/usr/local/bin/sqlite3'].find((p) => existsSync(p));

function checkDatabaseFile(path: string): number {
  // The file of a stopped (even killed) server opens in the sqlite3 tool like any SQLite database.
  if (SQLITE3_CLI)
    expect(execFileSync(SQLITE3_CLI, [path, 'pragma integrity_check;'], { encoding: 'utf8' }).trim()).toBe('ok');
  const sqlite = new Database(path);
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    return (sqlite.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

async function verify(url: string, key: Received): Promise<boolean> {
  const res = await fetch(`${url}/_keyforge/keys/verify`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(key),
  });
  return ((await res.json()) as { valid: boolean }).valid;
}

describe('crash safety of the server process', () => {
  it('keeps every acknowledged key across SIGKILLs in the middle of a create storm', async () => {
    const db = join(dir, 'storm.db');
    let server = await start(db);
    // Whatever fails, no server outlives the test.
    onTestFinished(() => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    });
    const tenants: Tenant[] = [];
    for (const vendor of VENDOR_NAMES)
      tenants.push(await createTenant(server.url, vendor), await createTenant(server.url, vendor));

    const acknowledged: Received[] = [];
    for (const [round, killAfter] of [5, 40, 120].entries()) {
      acknowledged.push(...(await stormUntilKilled(server, tenants, killAfter, round)));
      await server.stop(); // already dead: resolves with its exit
      expect(server.child.signalCode).toBe('SIGKILL');
      // Every received answer is a committed row: at least that many keys (plus the tenants' roots).
      expect(checkDatabaseFile(db)).toBeGreaterThanOrEqual(acknowledged.length + tenants.length);
      server = await start(db);
    }

    try {
      const invalid = [];
      for (const key of acknowledged) if (!(await verify(server.url, key))) invalid.push(key);
      expect(invalid).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(5 + 40 + 120);
      // And they authenticate at the vendor itself: a Baseten PERSONAL key lists its workspace's keys.
      const baseten = acknowledged.filter((k) => k.vendor === 'baseten').at(-1)!;
      const listed = await fetch(`${server.url}/v1/api_keys`, {
        headers: { authorization: `Api-Key ${baseten.secret}` },
      });
      expect(listed.status).toBe(200);
      // The roots survived too: every tenant still creates keys after the last restart.
      for (const tenant of tenants) await create(server.url, tenant, 'after-restart');
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(checkDatabaseFile(db)).toBeGreaterThan(acknowledged.length);
  }, 45_000);

  /**
   * Sends every tenant's create twice while each vendor call first waits 800 ms (a latency
   * fault), sends SIGTERM once they are in flight, and returns the answers and the exit code.
   */
  async function drain(
    db: string,
    agent: Agent,
  ): Promise<{ answers: Array<PromiseSettledResult<Received>>; exit: Promise<number | null>; answeredAt: number }> {
    const server = await start(db);
    const tenants: Tenant[] = [];
    for (const vendor of VENDOR_NAMES) tenants.push(await createTenant(server.url, vendor));
    for (const vendor of VENDOR_NAMES) {
      const res = await fetch(`${server.url}/_keyforge/faults`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({ vendor, latencyMs: 800 }),
      });
      expect(res.status).toBe(201);
    }
    const inFlight = tenants.flatMap((tenant) =>
      [0, 1].map((i) => createOver(agent, server.url, tenant, `drain-${i}`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = server.stop('SIGTERM');
    const answers = await Promise.allSettled(inFlight);
    return { answers, exit, answeredAt: Date.now() };
  }

  async function expectCommitted(db: string, answers: Array<PromiseSettledResult<Received>>): Promise<void> {
    const next = await start(db);
    try {
      for (const answer of answers) {
        const key = (answer as PromiseFulfilledResult<Received>).value;
        expect(await verify(next.url, key), `${key.vendor} key created while draining`).toBe(true);
      }
    } finally {
      expect(await next.stop('SIGTERM')).toBe(0);
    }
    expect(checkDatabaseFile(db)).toBeGreaterThanOrEqual(answers.length);
  }

  it('drains in-flight requests on SIGTERM: full answers, committed keys, exit 0', async () => {
    const db = join(dir, 'drain.db');
    const { answers, exit } = await drain(db, new Agent({ keepAlive: false }));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 'fulfilled'));
    expect(await exit).toBe(0);
    await expectCommitted(db, answers);
  }, 20_000);

  // Found here (fixed in src/fastify-instance.ts): sockets busy at SIGTERM became idle
  // keep-alive sockets after their answer and held the process until the client's keep-alive
  // timeout. Answers sent while closing now carry `Connection: close`.
  it('exits promptly after draining keep-alive connections on SIGTERM', async () => {
    const db = join(dir, 'drain-keepalive.db');
    const agent = new Agent({ keepAlive: true });
    try {
      const { answers, exit, answeredAt } = await drain(db, agent);
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 'fulfilled'));
      const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 3_000));
      expect(await Promise.race([exit, timeout]), `exit ${Date.now() - answeredAt} ms after the last answer`).toBe(0);
    } finally {
      agent.destroy(); // lets the server exit now either way
    }
  }, 20_000);
});
