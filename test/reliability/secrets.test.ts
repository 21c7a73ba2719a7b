// Secrets appear once, in their create answer, and nowhere else. A workload issues many keys
// in every vendor (and every Bytebeam encoding), uses them, misuses them and revokes some, on a
// file database with the log captured; then every issued secret, every root credential and
// the admin token are searched for in the log, the request journal, every other answer body,
// and the raw bytes of the database and its WAL. Also: where secrets are compared, the
// comparison is constant-time (argon2.verify; the admin token through timingSafeEqual).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/process.js';
import { adminHeaders, buildTestApp, TEST_ADMIN_TOKEN } from '../helper.js';
import { DESCRIPTIONS } from '../dialects/index.js';
import {
  createBody,
  createTenant,
  issuedSecret,
  rootSecret,
  shapeProblem,
  VENDOR_NAMES,
  type Tenant,
  type VendorName,
} from './support.js';
import { testTempDir } from '../support/test-run.js';

const dir = testTempDir('keyforge-secrets-');
const dbPath = join(dir, 'secrets.db');

interface Issued {
  vendor: VendorName;
  secret: string;
  /** The part after the lookup id: it must not appear anywhere, not even next to its lookup id. */
  tail: string;
}

const issued: Issued[] = [];
const others: string[] = []; // every answer body except the create answers themselves
let logs = '';
let journal = '';
let databaseBytes: Buffer[] = [];

let app: FastifyInstance;

async function send(options: InjectOptions & { url: string }, record = true): Promise<LightMyRequestResponse> {
  const res = await app.inject(options);
  expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBeLessThan(500);
  expect(shapeProblem(options.url, res)).toBeNull();
  if (record) others.push(res.body);
  return res;
}

const keep = (vendor: VendorName, secret: string) =>
  issued.push({ vendor, secret, tail: DESCRIPTIONS[vendor].secretTail(secret) });

/** Creates a key as the tenant, at the real path or under /<vendor>; Bytebeam answers in `accept`. */
async function createKey(tenant: Tenant, unique: string, mount: string, accept = 'application/json'): Promise<string> {
  const res = await send(
    {
      method: 'POST',
      url: `${mount}${tenant.request.path}`,
      headers: { ...tenant.request.headers, accept },
      payload: JSON.stringify(createBody(tenant, unique)),
    },
    false,
  );
  expect(res.statusCode, res.body).toBeLessThan(300);
  if (accept === 'application/json') return issuedSecret(tenant.vendor, res.json());
  // EDN `#uuid "…"`, transit `"~u…"`: the one UUID in the answer.
  return /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/.exec(res.body)![0];
}

/** Uses a secret wrongly in every way a vendor refuses: another tenant, wrong scheme, bad body, unknown path. */
async function misuse(vendor: VendorName, secret: string, own: Tenant, other: Tenant): Promise<void> {
  const json = { 'content-type': 'application/json' };
  switch (vendor) {
    case 'basic':
      await send({
        method: 'GET',
        url: `/project/${other.project}/key`,
        headers: { authorization: `Bearer ${secret}` },
      });
      await send({
        method: 'POST',
        url: `/basic/project/${own.project}/key`,
        headers: { authorization: `Token ${secret}`, ...json },
        payload: '{}',
      });
      await send({
        method: 'POST',
        url: `/project/${own.project}/key`,
        headers: { authorization: `Bearer ${secret}`, ...json },
        payload: '{"label":',
      });
      await send({
        method: 'POST',
        url: `/project/${own.project}/key/verify`,
        headers: { authorization: `Bearer ${rootSecret(own)}`, ...json },
        payload: { key: secret },
      });
      await send({
        method: 'GET',
        url: `/basic/project/${own.project}/nope`,
        headers: { authorization: `Bearer ${secret}` },
      });
      break;
    case 'baseten':
      await send({
        method: 'POST',
        url: '/v1/api_keys',
        headers: { authorization: `Token ${secret}`, ...json },
        payload: { type: 'PERSONAL' },
      });
      await send({
        method: 'POST',
        url: '/baseten/v1/api_keys',
        headers: { authorization: `Api-Key ${secret}`, ...json },
        payload: '{"type": nope}',
      });
      await send({
        method: 'POST',
        url: '/v1/api_keys',
        headers: { authorization: `Api-Key ${secret}x`, ...json },
        payload: { type: 'PERSONAL' },
      });
      await send({ method: 'GET', url: '/baseten/v1/nope', headers: { authorization: `Api-Key ${secret}` } });
      break;
    case 'bytebeam':
      await send({
        method: 'GET',
        url: '/api/v1/apikeys',
        headers: { 'x-bytebeam-api-key': secret, 'x-bytebeam-tenant': other.tenant },
      });
      await send({
        method: 'POST',
        url: '/api/v1/apikeys',
        headers: { 'x-bytebeam-api-key': secret, 'x-bytebeam-tenant': own.tenant, ...json },
        payload: '{"name":',
      });
      await send({
        method: 'POST',
        url: '/bytebeam/api/v1/apikeys',
        headers: { 'x-bytebeam-api-key': secret, 'x-bytebeam-tenant': own.tenant, ...json },
        payload: { name: 'x', extra: 1 },
      });
      await send({
        method: 'GET',
        url: '/api/v1/apikeys',
        headers: { 'x-bytebeam-api-key': secret, 'x-bytebeam-tenant': own.tenant, accept: 'text/html' },
      });
      break;
    case 'peaka':
      await send({
        method: 'GET',
        url: `/api/v1/projects/${other.project}/apiKeys`,
        headers: { authorization: `Bearer ${secret}` },
      });
      await send({
        method: 'POST',
        url: `/peaka/api/v1/projects/${own.project}/apiKeys`,
        headers: { authorization: `Bearer ${secret}`, ...json },
        payload: '{"name":',
      });
      await send({
        method: 'POST',
        url: `/api/v1/projects/${own.project}/apiKeys`,
        headers: { authorization: `Bearer ${secret}`, ...json },
        payload: { expiresAt: 'yesterday' },
      });
      break;
    case 'imtegrate':
      await send({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Basic ${secret}` } });
      await send({
        method: 'POST',
        url: '/imtegrate/v1/api-keys',
        headers: { authorization: `Bearer ${secret}`, ...json },
        payload: '{"name": x}',
      });
      await send({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { authorization: `Bearer ${secret}`, ...json },
        payload: { name: 'x', env: 'prod' },
      });
      await send({ method: 'PUT', url: '/v1/api-keys', headers: { authorization: `Bearer ${secret}` } });
      break;
  }
}

/** Deletes or revokes a key with the vendor's own call (as its tenant's root), then tries to use it. */
async function revokeAndRetry(tenant: Tenant, secret: string): Promise<void> {
  const root = tenant.request.headers;
  switch (tenant.vendor) {
    case 'baseten':
      await send({
        method: 'DELETE',
        url: `/v1/api_keys/${secret.split('.')[0]}`,
        headers: { authorization: root.Authorization! },
      });
      break;
    case 'imtegrate': {
      const key = (await send({ method: 'GET', url: '/v1/api-keys', headers: { authorization: root.Authorization! } }))
        .json()
        .find((k: { prefix: string }) => secret.startsWith(`${k.prefix}_`));
      await send({
        method: 'POST',
        url: `/v1/api-keys/${key.id}/revoke`,
        headers: { authorization: root.Authorization! },
      });
      break;
    }
    default:
      return; // Basic, Bytebeam and Peaka deletes are exercised by their own suites; these keys stay
  }
  await send({
    method: 'POST',
    url: tenant.request.path,
    headers: { ...root, Authorization: root.Authorization!.replace(/\S+$/, secret) },
    payload: JSON.stringify(createBody(tenant, 'revoked')),
  });
}

beforeAll(async () => {
  const logStream = new Writable({ write: (chunk, _enc, done) => ((logs += chunk.toString()), done()) });
  // trace: the most the log ever says, request lines included.
  app = await buildTestApp({ db: dbPath, logLevel: 'trace', journalSize: 10_000 }, { logStream });

  for (const vendor of VENDOR_NAMES) {
    const tenants = [await createTenant(app, vendor), await createTenant(app, vendor)];
    for (const tenant of tenants) keep(vendor, rootSecret(tenant));
    for (const [t, tenant] of tenants.entries()) {
      const other = tenants[1 - t]!;
      const accepts =
        vendor === 'bytebeam'
          ? ['application/json', 'application/edn', 'application/transit+json']
          : ['application/json'];
      const secrets: string[] = [];
      for (let i = 0; i < 6; i++)
        secrets.push(
          await createKey(tenant, `s${t}-${i}`, i % 2 === 0 ? '' : `/${vendor}`, accepts[i % accepts.length]),
        );
      for (const secret of secrets) keep(vendor, secret);
      for (const secret of secrets.slice(0, 3)) await misuse(vendor, secret, tenant, other);
      await revokeAndRetry(tenant, secrets[5]!);
    }
  }
  // Every admin view of the keys, and introspection of each secret.
  others.push((await send({ method: 'GET', url: '/_keyforge/keys', headers: adminHeaders }, false)).body);
  for (const { vendor, secret } of issued) {
    others.push(
      (
        await send(
          { method: 'POST', url: '/_keyforge/keys/verify', headers: adminHeaders, payload: { vendor, secret } },
          false,
        )
      ).body,
    );
  }
  others.push(
    (
      await send(
        {
          method: 'POST',
          url: '/_keyforge/keys/verify',
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` },
          payload: {},
        },
        false,
      )
    ).body,
  );
  journal = (await send({ method: 'GET', url: '/_keyforge/requests?limit=10000', headers: adminHeaders }, false)).body;

  // The database as it is on disk while serving (the WAL holds the recent writes), then after close.
  const snapshot = join(dir, 'snapshot');
  for (const suffix of ['', '-wal'])
    if (existsSync(`${dbPath}${suffix}`)) copyFileSync(`${dbPath}${suffix}`, `${snapshot}${suffix}`);
  await app.close();
  databaseBytes = [`${snapshot}`, `${snapshot}-wal`, dbPath, `${dbPath}-wal`]
    .filter(existsSync)
    .map((p) => readFileSync(p));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets appear only in their create answer', () => {
  it('ran a real workload', () => {
    expect(issued.length).toBeGreaterThanOrEqual(VENDOR_NAMES.length * 2 * 7);
    expect(others.length).toBeGreaterThan(200);
    expect(JSON.parse(journal).requests.length).toBeGreaterThan(150);
    expect(logs.split('\n').length).toBeGreaterThan(200);
    expect(databaseBytes.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(10_000);
    // The journal held the create answers, and redacted the secrets in them.
    expect(journal).toContain('[redacted]');
  });

  const where = {
    'the log': () => logs,
    'the request journal': () => journal,
    'any other answer body': () => others.join('\n'),
  };

  it.each(Object.keys(where))('never in %s', (place) => {
    const text = where[place as keyof typeof where]();
    const found = issued.filter(({ secret, tail }) => text.includes(secret) || text.includes(tail));
    expect(found.map((f) => `${f.vendor} ${f.secret}`)).toEqual([]);
    expect(text.includes(TEST_ADMIN_TOKEN)).toBe(false);
  });

  it('never in the database file or its WAL, not even as a fast hash', () => {
    const digests = (secret: string) => {
      const sha = createHash('sha256').update(secret).digest();
      return [secret, sha.toString('hex'), sha.toString('base64'), sha.toString('base64url')];
    };
    const found = issued.filter(({ secret, tail }) =>
      [...digests(secret), tail].some((needle) => databaseBytes.some((bytes) => bytes.includes(needle))),
    );
    expect(found.map((f) => `${f.vendor} ${f.secret}`)).toEqual([]);
    expect(databaseBytes.some((bytes) => bytes.includes(TEST_ADMIN_TOKEN))).toBe(false);
    // What it does hold: argon2id PHC strings.
    expect(databaseBytes.some((bytes) => bytes.includes('$argon2id$v=19$'))).toBe(true);
  });
});

describe('secrets are compared in constant time', () => {
  const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');

  it('checks the admin token with timingSafeEqual over digests, never with ===', () => {
    const auth = source('src/admin/auth.ts');
    expect(auth).toMatch(/timingSafeEqual\(digest\(given\), expected\)/);
    // Comparisons with null (a missing header) are fine; any other equality on the token is not.
    expect(auth.replace(/[!=]==?\s*(null|undefined)\b/g, '')).not.toMatch(
      /(given|token|expected)\s*[!=]=|[!=]=\s*(given|token|expected)\b/,
    );
  });

  it('verifies key secrets only through argon2.verify, after a lookup by non-secret id', () => {
    expect(source('src/keys/hashing.ts')).toMatch(/argon2\.verify\(phc, secret\)/);
    // …which recomputes the hash and compares the two in constant time.
    expect(source('node_modules/argon2/argon2.cjs')).toMatch(/return timingSafeEqual\(expected, actual\)/);
    const verification = source('src/keys/verification.ts');
    expect(verification).toMatch(/this\.hasher\.verify\(row\.hash, secret\)/);
    // No secret or hash is ever compared as a string.
    for (const file of ['src/keys/service.ts', 'src/keys/verification.ts', 'src/keys/issuance.ts']) {
      expect(source(file), file).not.toMatch(/(secret|hash)\s*[!=]==|[!=]==\s*(secret|\w+\.hash)\b/);
    }
  });
});
