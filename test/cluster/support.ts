// Several real keyforge processes on one PostgreSQL database, and what the cluster tests do
// with them over HTTP: admin calls, tenants, and each vendor's key lifecycle (create, use, list,
// delete or revoke, refused), as its test description (test/dialects/<vendor>.ts) makes them.
import { afterAll } from 'vitest';
import { DESCRIPTIONS } from '../dialects/index.js';
import {
  createBody,
  issuedSecret,
  rootSecret,
  VENDOR_NAMES,
  type Tenant,
  type VendorName,
} from '../reliability/support.js';
import { startServer, type RunningServer } from '../support/process.js';

export const ADMIN_TOKEN = 'cluster-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface Instance extends RunningServer {
  name: string;
}

const started: Instance[] = [];
afterAll(async () => {
  await Promise.all(started.splice(0).map((instance) => instance.stop('SIGKILL')));
});

/** Starts one instance per name on `db`, all at once (so they race on migrations and the demo bootstrap). */
export async function startInstances(db: string, names: string[], extraArgs: string[] = []): Promise<Instance[]> {
  // Settled, not Promise.all: when one fails to start, those that did are still stopped afterwards.
  const results = await Promise.allSettled(
    names.map(async (name) => {
      const args = [
        '--db',
        db,
        '--port',
        '0',
        '--hash-profile',
        'fast',
        '--admin-token',
        ADMIN_TOKEN,
        '--instance',
        name,
        '--log-level',
        'warn',
        ...extraArgs,
      ];
      return { ...(await startServer(args)), name };
    }),
  );
  const instances = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  started.push(...instances);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return instances;
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

/** One HTTP call; the body is parsed when it is JSON. */
export async function call(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

export const adminCall = (base: string, method: string, path: string, body?: unknown) =>
  call(base, method, path, admin, body);

export async function newTenant(base: string, vendor: VendorName): Promise<Tenant> {
  const res = await adminCall(base, 'POST', '/_keyforge/tenants', { vendor });
  if (res.status !== 201) throw new Error(`POST /_keyforge/tenants ${vendor}: ${res.status} ${res.text}`);
  return res.body as Tenant;
}

/** A key made through a vendor's create call, and how to name it in that vendor's later calls. */
export interface IssuedKey {
  secret: string;
  /** Basic and Imtegrate: the id; Baseten: the prefix; Bytebeam: the name; Peaka: the apiKeyId. */
  handle: string;
}

export interface Lifecycle {
  create(base: string, tenant: Tenant, unique: string): Promise<Answer & { key?: IssuedKey }>;
  /** A call that needs the key: its status tells whether the key works (2xx/403) or not (401). */
  use(base: string, tenant: Tenant, key: IssuedKey): Promise<Answer>;
  /** The tenant's keys as the vendor lists them (with the root credential). */
  list(base: string, tenant: Tenant): Promise<Answer>;
  /** Deletes or revokes the key with the root credential. */
  remove(base: string, tenant: Tenant, key: IssuedKey): Promise<Answer>;
  /** Whether a list answer shows the key. */
  lists(answer: Answer, key: IssuedKey): boolean;
}

const rootHeaders = (tenant: Tenant) =>
  Object.fromEntries(Object.entries(tenant.request.headers).filter(([name]) => name.toLowerCase() !== 'content-type'));

/** The lifecycle calls of the vendor's test description (test/dialects/<vendor>.ts), sent over HTTP. */
function lifecycleOf(vendor: VendorName): Lifecycle {
  const description = DESCRIPTIONS[vendor];
  return {
    create: async (base, tenant, unique) => {
      const res = await call(base, 'POST', tenant.request.path, rootHeaders(tenant), {
        ...createBody(tenant, unique),
        ...description.lifecycleCreateFields(unique),
      });
      return {
        ...res,
        ...(res.status < 300
          ? { key: { secret: issuedSecret(tenant.vendor, res.body), handle: description.handleOf(res.body) } }
          : {}),
      };
    },
    use: (base, tenant, key) =>
      call(base, 'GET', description.keysPath(tenant), description.credentialHeaders(tenant, key.secret)),
    list: (base, tenant) => call(base, 'GET', description.keysPath(tenant), rootHeaders(tenant)),
    remove: (base, tenant, key) => {
      const { method, path } = description.removeCall(tenant, key.handle);
      return call(base, method, path, rootHeaders(tenant));
    },
    lists: (answer, key) => description.lists(answer.body, key.handle),
  };
}

export const LIFECYCLES = Object.fromEntries(VENDOR_NAMES.map((vendor) => [vendor, lifecycleOf(vendor)])) as Record<
  VendorName,
  Lifecycle
>;

/** A key works: authenticated (2xx, or Peaka's 403 for a project key). */
export const works = (answer: Answer) => answer.status < 300 || answer.status === 403;

export { rootSecret };
