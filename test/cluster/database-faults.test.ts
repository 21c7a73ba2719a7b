// When PostgreSQL goes away under two serving instances: vendor calls answer 503 in each vendor's
// own shape (never a 500, never a crash), health says degraded and why, and the same processes
// recover by themselves when it is back. A kill -9 of one instance in a create storm loses no
// acknowledged key and half-stores none. These tests own their PostgreSQL server (they stop it).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresBinaries, startCluster, type Cluster } from '../../scripts/postgres-cluster.js';
import { DESCRIPTIONS } from '../dialects/index.js';
import { VENDOR_NAMES, type Tenant, type VendorName } from '../reliability/support.js';
import { tempParent, trackProcess } from '../support/test-run.js';
import {
  ADMIN_TOKEN,
  adminCall,
  call,
  LIFECYCLES,
  newTenant,
  startInstances,
  works,
  type Answer,
  type IssuedKey,
} from './support.js';

const canRun = postgresBinaries() !== null || process.env.KEYFORGE_TEST_REQUIRED === '1';

/** What each vendor answers while its database is down: 503, with the body its test description gives. */
function expectUnavailable(vendor: VendorName, answer: Answer): void {
  expect(answer.status, `${vendor}: ${answer.text}`).toBe(503);
  DESCRIPTIONS[vendor].expectUnavailable(answer.body);
}

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Admin calls that read or write the database. */
const ADMIN_CALLS = (key: IssuedKey): Array<[string, string, unknown?]> => [
  ['GET', '/_keyforge/keys'],
  ['GET', '/_keyforge/keys?vendor=basic&tenant=demo-account'],
  ['POST', '/_keyforge/tenants', { vendor: 'baseten' }],
  ['POST', '/_keyforge/keys/verify', { vendor: 'basic', secret: key.secret }],
  ['POST', '/_keyforge/keys/0f0e0d0c-0b0a-4908-8706-050403020100/revoke'],
  ['GET', '/_keyforge/requests'],
  ['GET', '/_keyforge/requests/stream'], // with Last-Event-ID: the replay reads the journal
  ['GET', '/_keyforge/faults'],
  ['PUT', '/_keyforge/faults', { vendor: 'peaka', status: 500 }],
  ['DELETE', '/_keyforge/faults'],
  ['POST', '/_keyforge/reset'],
];

(canRun ? describe : describe.skip)('PostgreSQL faults under two instances', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(tempParent());
    trackProcess(cluster.pid(), 'PostgreSQL of the fault tests');
  }, 60_000);
  afterAll(() => cluster?.stop());
  // A test that fails while the server is stopped leaves it to the next one running again.
  let halted = false;
  const restart = () => {
    cluster.start();
    halted = false;
    trackProcess(cluster.pid(), 'PostgreSQL of the fault tests, restarted');
  };
  afterEach(() => {
    if (halted) restart();
  });

  it('answers 503 in every vendor shape while PostgreSQL is stopped, says so in health, and recovers by itself', async () => {
    const [a, b] = await startInstances(cluster.url, ['a', 'b']);
    const fixtures: Array<{ vendor: VendorName; tenant: Tenant; key: IssuedKey }> = [];
    for (const vendor of VENDOR_NAMES) {
      const tenant = await newTenant(a!.url, vendor);
      const { key } = await LIFECYCLES[vendor].create(a!.url, tenant, 'before');
      expect(works(await LIFECYCLES[vendor].use(b!.url, tenant, key!))).toBe(true); // cached on B
      fixtures.push({ vendor, tenant, key: key! });
    }

    cluster.halt('fast');
    halted = true;
    for (const instance of [a!, b!]) {
      for (const { vendor, tenant, key } of fixtures) {
        expectUnavailable(vendor, await LIFECYCLES[vendor].use(instance.url, tenant, key)); // a cached credential is not trusted blindly
        expectUnavailable(vendor, await LIFECYCLES[vendor].create(instance.url, tenant, 'during'));
      }
      const health = await call(instance.url, 'GET', '/_keyforge/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'degraded',
        reason: expect.stringMatching(/PostgreSQL at 127\.0\.0\.1:\d+\/postgres does not answer/),
      });
      // Every admin call that needs the database says it is unavailable, and why, as health does.
      for (const [method, path, body] of ADMIN_CALLS(fixtures[0]!.key)) {
        const answer = await call(instance.url, method, path, { ...ADMIN, 'last-event-id': '1' }, body);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(503);
        expect(answer.body).toEqual({
          error: 'Service Unavailable',
          message: expect.stringMatching(/^the database is unavailable: \S/),
        });
      }
      expect(instance.output()).not.toMatch(/\n\s+at /); // no stack trace anywhere
    }

    restart();
    for (const instance of [a!, b!]) {
      await expect
        .poll(async () => (await call(instance.url, 'GET', '/_keyforge/health')).body?.status, {
          timeout: 15_000,
          interval: 200,
        })
        .toBe('ok');
      for (const { vendor, tenant, key } of fixtures) {
        expect(works(await LIFECYCLES[vendor].use(instance.url, tenant, key))).toBe(true);
        expect((await LIFECYCLES[vendor].create(instance.url, tenant, `after-${instance.name}`)).status).toBeLessThan(
          300,
        );
      }
      expect(instance.child.exitCode).toBeNull();
    }
    await Promise.all([a!.stop('SIGKILL'), b!.stop('SIGKILL')]);
  }, 60_000);

  it('keeps every acknowledged key when one instance is killed -9 in a create storm over both, and half-stores none', async () => {
    const db = `${cluster.url.replace(/\/postgres$/, '')}/storm`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database storm');
    try {
      const [a, b] = await startInstances(db, ['a', 'b']);
      const tenants = await Promise.all(VENDOR_NAMES.map((vendor) => newTenant(a!.url, vendor)));
      const acknowledged: Array<{ vendor: VendorName; secret: string }> = [];
      let killed = false;
      let sent = 0;
      const worker = async (w: number) => {
        for (let i = 0; ; i++) {
          const tenant = tenants[(w + i) % tenants.length]!;
          const target = killed || i % 2 === 0 ? b! : a!;
          if (acknowledged.length >= 150) return;
          sent++;
          const answer = await LIFECYCLES[tenant.vendor].create(target.url, tenant, `w${w}-${i}`).catch(() => null); // a killed server's calls fail
          if (answer && answer.status < 300) acknowledged.push({ vendor: tenant.vendor, secret: answer.key!.secret });
          if (!killed && acknowledged.length >= 60) {
            killed = true;
            a!.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      expect(killed).toBe(true);
      expect(acknowledged.length).toBeGreaterThanOrEqual(150);

      const invalid = [];
      for (const key of acknowledged)
        if (!(await adminCall(b!.url, 'POST', '/_keyforge/keys/verify', key)).body.valid) invalid.push(key);
      expect(invalid).toEqual([]);
      // Every stored row is whole: a real argon2id hash and a tenant; none beyond what was sent.
      const check = new pg.Client({ connectionString: db });
      await check.connect();
      const {
        rows: [counts],
      } = await check.query(
        `select count(*)::int as n, count(*) filter (where hash like '$argon2id$v=19$%')::int as whole, count(*) filter (where tenant_id not in (select id from tenants))::int as orphans from api_keys`,
      );
      await check.end();
      expect(counts.whole).toBe(counts.n);
      expect(counts.orphans).toBe(0);
      expect(counts.n).toBeGreaterThanOrEqual(acknowledged.length + tenants.length);
      expect(counts.n).toBeLessThanOrEqual(sent + tenants.length + VENDOR_NAMES.length);
      await b!.stop('SIGTERM');
    } finally {
      await admin.query('drop database if exists storm with (force)');
      await admin.end();
    }
  }, 60_000);
});
