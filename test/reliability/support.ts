// Shared by the reliability tests: tenants from the admin API, the bodies that create keys in
// each vendor, and checks that an answer is in its vendor's own shape (or a valid success).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { decodeBody, MEDIA_TYPES, type MediaType } from '../../src/vendors/bytebeam/codecs.js';
import { VENDOR_NAMES, type VendorName } from '../../src/vendors/dialect.js';
import { adminHeaders } from '../helper.js';
import { changedBuiltIns, type BuiltInsSnapshot } from '../support/built-ins.js';

export { VENDOR_NAMES, type VendorName };

/** What `POST /_keyforge/tenants` answers: a tenant and the exact request that creates a key as it. */
export interface Tenant {
  vendor: VendorName;
  tenant: string;
  project?: string;
  request: { method: 'POST'; path: string; url: string; headers: Record<string, string>; body: Record<string, unknown> };
}

export async function createTenant(app: FastifyInstance, vendor: VendorName, tenant?: string): Promise<Tenant> {
  const res = await app.inject({ method: 'POST', url: '/_keyforge/tenants', headers: adminHeaders, payload: tenant ? { vendor, tenant } : { vendor } });
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
  const body = { ...tenant.request.body };
  if (tenant.vendor === 'bytebeam') body.name = `k-${unique}`;
  if (tenant.vendor === 'basic') body.label = `k-${unique}`;
  return body;
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
    const created = await app.inject({ method: 'POST', url: tenant.request.path, headers: tenant.request.headers, payload: JSON.stringify(createBody(tenant, 'unchanged')) });
    expect(created.statusCode, `${vendor}: ${created.body}`).toBeLessThan(300);
  }
  const journal = await app.inject({ method: 'GET', url: `/_keyforge/requests?limit=${VENDOR_NAMES.length}`, headers: adminHeaders });
  expect(journal.statusCode, journal.body).toBe(200);
  expect(journal.json().requests.map((entry: { vendor: string }) => entry.vendor).sort()).toEqual([...VENDOR_NAMES].sort());
}

/** The secret of a create answer (JSON), whatever the vendor. */
export function issuedSecret(vendor: VendorName, body: Record<string, unknown>): string {
  switch (vendor) {
    case 'basic':
      return (body.key as { value: string }).value;
    case 'baseten':
      return body.api_key as string;
    case 'bytebeam':
      return body.key as string;
    case 'peaka':
      return body.apiKey as string;
    case 'imtegrate':
      return body.token as string;
  }
}

/** Which mount a request path reaches: a vendor (by /<vendor> prefix or real path), the admin API, or none. */
export function ownerOfPath(path: string): VendorName | 'admin' | null {
  const clean = path.split('?')[0]!;
  if (clean.startsWith('/_keyforge/')) return 'admin';
  for (const vendor of VENDOR_NAMES) if (clean === `/${vendor}` || clean.startsWith(`/${vendor}/`)) return vendor;
  if (clean.startsWith('/project/')) return 'basic';
  if (clean.startsWith('/v1/api_keys')) return 'baseten';
  if (clean.startsWith('/api/v1/apikeys')) return 'bytebeam';
  if (clean.startsWith('/api/v1/projects/')) return 'peaka';
  if (clean.startsWith('/v1/api-keys')) return 'imtegrate';
  return null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysAre = (v: unknown, keys: string[]) => isRecord(v) && Object.keys(v).sort().join() === [...keys].sort().join();

function json(res: LightMyRequestResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

/** `{error, message}`: Basic, the admin API and keyforge's own 404 for unknown paths. */
function twoFieldError(body: unknown): boolean {
  return keysAre(body, ['error', 'message']) && typeof (body as { error: unknown }).error === 'string' && typeof (body as { message: unknown }).message === 'string';
}

/** FastAPI's `{detail}`: a string, or pydantic's list of `{type, loc, msg, input, ctx?}`. */
function fastApiError(body: unknown): boolean {
  if (!keysAre(body, ['detail'])) return false;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === 'string') return true;
  return (
    Array.isArray(detail) &&
    detail.length > 0 &&
    detail.every((e) => isRecord(e) && typeof e.type === 'string' && Array.isArray(e.loc) && typeof e.msg === 'string' && 'input' in e)
  );
}

function springError(body: unknown, status: number): boolean {
  if (!keysAre(body, ['timestamp', 'status', 'error', 'message', 'path'])) return false;
  const b = body as Record<string, unknown>;
  return b.status === status && typeof b.timestamp === 'string' && typeof b.error === 'string' && typeof b.message === 'string' && typeof b.path === 'string';
}

function bytebeamBody(res: LightMyRequestResponse): unknown {
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!(MEDIA_TYPES as readonly string[]).includes(type)) return undefined;
  try {
    return decodeBody(type as MediaType, res.rawPayload);
  } catch {
    return undefined;
  }
}

function bytebeamError(res: LightMyRequestResponse): boolean {
  // reitit-ring's default 405: no body, no Content-Type.
  if (res.statusCode === 405) return res.body === '' && res.headers['content-type'] === undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/plain')) return res.statusCode === 400 && /^Malformed "[^"]+" request\.$/.test(res.body);
  const body = bytebeamBody(res);
  if (keysAre(body, ['error'])) return typeof (body as { error: unknown }).error === 'string';
  return res.statusCode === 400 && keysAre(body, ['type', 'coercion', 'in', 'humanized']);
}

/** A 2xx answer a client of that vendor (or of the admin API) would parse as a success. */
function validSuccess(owner: VendorName | 'admin', res: LightMyRequestResponse): boolean {
  const status = res.statusCode;
  // OPTIONS answered by the framework (reitit, Spring MVC): 200, an Allow header, no body.
  if ((owner === 'bytebeam' || owner === 'peaka') && status === 200 && res.body === '' && typeof res.headers.allow === 'string') return true;
  if (owner === 'bytebeam') {
    const body = bytebeamBody(res);
    return status === 200 && (Array.isArray(body) || isRecord(body));
  }
  if (owner === 'peaka' && status === 200 && res.body === '') return true; // delete answers an empty body
  const body = json(res);
  switch (owner) {
    case 'basic':
      return status === 200 && isRecord(body) && ('key' in body || 'keys' in body || 'is_valid' in body);
    case 'baseten':
      return status === 200 && isRecord(body) && ('api_key' in body || 'keys' in body || 'prefix' in body);
    case 'peaka':
      return status === 200 && (Array.isArray(body) || (isRecord(body) && 'apiKeyId' in body));
    case 'imtegrate':
      return (status === 200 || status === 201) && (Array.isArray(body) || (isRecord(body) && typeof body.id === 'string'));
    case 'admin':
      return (status === 200 || status === 201) && isRecord(body);
  }
}

/**
 * Why an answer is not acceptable from the mount that `path` reaches, or null when it is: no
 * 5xx, and either a valid success or an error in that vendor's own shape. Unknown paths at
 * the root get keyforge's own `{error, message}` 404.
 */
export function shapeProblem(path: string, res: LightMyRequestResponse): string | null {
  const owner = ownerOfPath(path);
  const status = res.statusCode;
  const describe = () => `${owner ?? 'root'} answered ${status} ${String(res.headers['content-type'])}: ${res.body.slice(0, 300)}`;
  if (status >= 500) return describe();
  if (res.raw.req.method === 'HEAD') return res.body === '' ? null : describe(); // an answer to HEAD has no body to judge
  if (status < 300) return owner !== null && validSuccess(owner, res) ? null : describe();
  // Baseten and Imtegrate (Starlette) redirect a trailing slash, with no body.
  if (status === 307) return owner === 'imtegrate' || owner === 'baseten' || owner === null ? null : describe();
  if (status < 400) return describe();
  const body = json(res);
  // An unknown path at the root mount is keyforge's own 404, whichever vendor it resembles;
  // under /<vendor> the vendor's own not-found handler answers.
  const mounted = VENDOR_NAMES.some((v) => path.startsWith(`/${v}/`) || path === `/${v}`);
  if (status === 404 && !mounted && twoFieldError(body)) return null;
  let ok: boolean;
  switch (owner) {
    case 'basic':
    case 'admin':
      ok = twoFieldError(body);
      break;
    case 'baseten':
    case 'imtegrate':
      ok = fastApiError(body) && String(res.headers['content-type']).startsWith('application/json');
      break;
    case 'peaka':
      // Spring's 406 to an Accept with no JSON: the Whitelabel page, or no body (src/vendors/common/spring-accept.ts).
      ok = status === 406 ? res.body === '' || res.body.startsWith('<html><body><h1>Whitelabel Error Page</h1>') : springError(body, status);
      break;
    case 'bytebeam':
      ok = bytebeamError(res);
      break;
    case null:
      ok = false;
  }
  return ok ? null : describe();
}
