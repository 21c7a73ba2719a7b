// Shared by the reliability tests: tenants from the admin API, the bodies that create keys in
// each vendor, and checks that an answer is in its vendor's own shape (or a valid success).
// What each vendor's bodies, secrets, paths and answers look like is its test description
// (test/dialects/<vendor>.ts).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { VENDOR_NAMES, type VendorName } from '../../src/vendors/dialect.js';
import { DESCRIPTIONS, type Tenant } from '../dialects/index.js';
import { isRecord, json, twoFieldError } from '../dialects/shapes.js';
import { adminHeaders } from '../helper.js';
import { changedBuiltIns, type BuiltInsSnapshot } from '../support/built-ins.js';

export { VENDOR_NAMES, type VendorName };

export type { Tenant };

export async function createTenant(app: FastifyInstance, vendor: VendorName, tenant?: string): Promise<Tenant> {
  const res = await app.inject({
    method: 'POST',
    url: '/_keyforge/tenants',
    headers: adminHeaders,
    payload: tenant ? { vendor, tenant } : { vendor },
  });
  if (res.statusCode !== 201) throw new Error(`cannot create ${vendor} tenant: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The root credential inside a tenant's ready request. */
export function rootSecret(tenant: Tenant): string {
  const headers = tenant.request.headers;
  return headers['x-bytebeam-api-key'] ?? headers.Authorization!.replace(/^\S+ /, '');
}

/** The tenant's create body, made unique where the vendor needs it (Bytebeam names identify keys). */
export function createBody(tenant: Tenant, unique: string): Record<string, unknown> {
  return DESCRIPTIONS[tenant.vendor].uniqueCreateBody(tenant.request.body, unique);
}

/**
 * After hostile calls, the process is as it was: the built-ins as in `before`, health ok, a
 * normal create succeeds for every vendor with a fresh tenant, and the journal reads (and shows
 * those creates).
 */
export async function expectUnchanged(app: FastifyInstance, before: BuiltInsSnapshot): Promise<void> {
  expect(changedBuiltIns(before)).toEqual([]);
  const health = await app.inject({ method: 'GET', url: '/_keyforge/health' });
  expect(health.statusCode).toBe(200);
  expect(health.json()).toMatchObject({ status: 'ok' });
  for (const vendor of VENDOR_NAMES) {
    const tenant = await createTenant(app, vendor);
    const created = await app.inject({
      method: 'POST',
      url: tenant.request.path,
      headers: tenant.request.headers,
      payload: JSON.stringify(createBody(tenant, 'unchanged')),
    });
    expect(created.statusCode, `${vendor}: ${created.body}`).toBeLessThan(300);
  }
  const journal = await app.inject({
    method: 'GET',
    url: `/_keyforge/requests?limit=${VENDOR_NAMES.length}`,
    headers: adminHeaders,
  });
  expect(journal.statusCode, journal.body).toBe(200);
  expect(
    journal
      .json()
      .requests.map((entry: { vendor: string }) => entry.vendor)
      .sort(),
  ).toEqual([...VENDOR_NAMES].sort());
}

/** The secret of a create answer (JSON), whatever the vendor. */
export function issuedSecret(vendor: VendorName, body: Record<string, unknown>): string {
  return DESCRIPTIONS[vendor].issuedSecret(body);
}

/** Which mount a request path reaches: a vendor (by /<vendor> prefix or real path), the admin API, or none. */
export function ownerOfPath(path: string): VendorName | 'admin' | null {
  const clean = path.split('?')[0]!;
  if (clean.startsWith('/_keyforge/')) return 'admin';
  for (const vendor of VENDOR_NAMES) if (clean === `/${vendor}` || clean.startsWith(`/${vendor}/`)) return vendor;
  return (
    VENDOR_NAMES.find((vendor) => DESCRIPTIONS[vendor].realPaths.some((prefix) => clean.startsWith(prefix))) ?? null
  );
}

/** A 2xx answer a client of that vendor (or of the admin API) would parse as a success. */
function validSuccess(owner: VendorName | 'admin', res: LightMyRequestResponse): boolean {
  if (owner !== 'admin') return DESCRIPTIONS[owner].isSuccess(res);
  return (res.statusCode === 200 || res.statusCode === 201) && isRecord(json(res));
}

/**
 * Why an answer is not acceptable from the mount that `path` reaches, or null when it is: no
 * 5xx, and either a valid success or an error in that vendor's own shape. Unknown paths at
 * the root get keyforge's own `{error, message}` 404.
 */
export function shapeProblem(path: string, res: LightMyRequestResponse): string | null {
  const owner = ownerOfPath(path);
  const status = res.statusCode;
  const describe = () =>
    `${owner ?? 'root'} answered ${status} ${String(res.headers['content-type'])}: ${res.body.slice(0, 300)}`;
  if (status >= 500) return describe();
  if (res.raw.req.method === 'HEAD') return res.body === '' ? null : describe(); // an answer to HEAD has no body to judge
  if (status < 300) return owner !== null && validSuccess(owner, res) ? null : describe();
  // Baseten and Imtegrate (Starlette) redirect a trailing slash, with no body.
  if (status === 307)
    return owner === null || (owner !== 'admin' && DESCRIPTIONS[owner].redirectsTrailingSlash) ? null : describe();
  if (status < 400) return describe();
  const body = json(res);
  // An unknown path at the root mount is keyforge's own 404, whichever vendor it resembles;
  // under /<vendor> the vendor's own not-found handler answers.
  const mounted = VENDOR_NAMES.some((v) => path.startsWith(`/${v}/`) || path === `/${v}`);
  if (status === 404 && !mounted && twoFieldError(body)) return null;
  const ok = owner === null ? false : owner === 'admin' ? twoFieldError(body) : DESCRIPTIONS[owner].isError(res);
  return ok ? null : describe();
}
