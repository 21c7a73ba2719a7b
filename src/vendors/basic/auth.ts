// Who is calling Basic, and what they may reach. `Authorization: Bearer <token>` carries either
// a user JWT (manages keys of every project its account owns) or a project API key
// `bsk_<40 base62>` (reaches its own project only; needs the `admin` role to manage keys).
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ProjectRow, TenantRow } from '../../db/key-store.js';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { prefixedFormat } from '../../keys/formats.js';
import type { KeyRecord } from '../../keys/service.js';
import { credentialFromAuthorization } from '../../http/auth-header.js';
import type { KeyforgeServices, RootCredential } from '../dialect.js';
import { looksLikeJwt, signUserToken, verifyUserToken } from './jwt.js';
import { roleList } from './schemas.js';

/** `bsk_` + 40 base62; the first 8 after the prefix are the lookup id (our choice, not published). */
export const BASIC_KEY_FORMAT = prefixedFormat('bsk_', 40, 8);

/** The role an API key needs to manage keys. */
export const ADMIN_ROLE = 'admin';

export type BasicCaller =
  { kind: 'user'; tenant: TenantRow; subject: string } | { kind: 'key'; tenant: TenantRow; key: KeyRecord };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Basic plugin's auth hook: a JWT user or a project API key. */
    basicCaller: BasicCaller | null;
  }
}

export const WORDING = {
  missing: 'Missing Bearer token in Authorization header',
  invalid: 'Invalid or expired token',
  forbidden: `API key lacks the '${ADMIN_ROLE}' role required to manage keys`,
  projectNotFound: 'Project not found',
  keyNotFound: 'Key not found',
};

export async function authenticate(request: FastifyRequest): Promise<BasicCaller> {
  const token = credentialFromAuthorization(request.headers.authorization, ['Bearer']);
  if (token === null) throw new InvalidCredential(WORDING.missing);
  const { keys, tenants, settings, clock } = request.server;
  if (looksLikeJwt(token)) {
    const claims = await verifyUserToken(settings, clock(), token);
    const tenant = claims && (await tenants.findById(claims.account_id));
    // The account must still exist under the name the token was signed for.
    if (!claims || !tenant || tenant.vendor !== 'basic' || tenant.name !== claims.account)
      throw new InvalidCredential(WORDING.invalid);
    return { kind: 'user', tenant, subject: claims.sub };
  }
  const project = (request.params as { id?: string } | undefined)?.id;
  const principal = await keys.verify('basic', token, BASIC_KEY_FORMAT, project === undefined ? {} : { project });
  if (!principal) throw new InvalidCredential(WORDING.invalid);
  request.principal = principal; // keys.verify has counted the use (admin API: last use)
  return { kind: 'key', tenant: principal.tenant, key: principal.key };
}

/**
 * The project in the path, when the caller may reach it. Unknown projects, another account's
 * projects and (for API keys) any project but the key's own all answer the same 404.
 */
export async function projectFor(
  request: FastifyRequest,
  caller: BasicCaller,
  externalId: string,
): Promise<ProjectRow> {
  const project = await request.server.tenants.findProject('basic', externalId);
  const reachable =
    project !== undefined &&
    project.tenantId === caller.tenant.id &&
    (caller.kind === 'user' || caller.key.projectId === project.id);
  if (!reachable) throw new NotFound(WORDING.projectNotFound);
  return project;
}

/** JWT users manage every key of their projects; API keys need the admin role. */
export function assertMayManageKeys(caller: BasicCaller): void {
  if (caller.kind === 'key' && !roleList(caller.key.kind).includes(ADMIN_ROLE)) throw new Forbidden(WORDING.forbidden);
}

/** A live key of this project by id; any other id (deleted, or another project's) is a 404. */
export async function keyInProject(request: FastifyRequest, project: ProjectRow, keyId: string): Promise<KeyRecord> {
  const key = await request.server.keys.get(keyId);
  // keys.remove keeps the row, revoked: Basic deletes, so a revoked key is simply gone.
  if (!key || key.vendor !== 'basic' || key.projectId !== project.id || key.revokedAt !== null)
    throw new NotFound(WORDING.keyNotFound);
  return key;
}

/** Who created a key: the user's email, or the id of the API key that made it. */
export function creatorOf(caller: BasicCaller): string {
  return caller.kind === 'user' ? caller.subject : caller.key.id;
}

/** Admin API: a freshly signed user JWT for the account, which gets a project if it has none. */
export async function issueRootCredential(services: KeyforgeServices, tenant: TenantRow): Promise<RootCredential> {
  const project = await services.tenants.ensureProject(tenant, () => randomUUID());
  const secret = await signUserToken(services.settings, services.clock(), tenant);
  return { tenant: tenant.name, secret, project: project.externalId };
}

/** Demo and seed: a fixed admin API key in the given project (created if missing), idempotently. */
export async function ensureRootCredential(
  services: KeyforgeServices,
  tenant: TenantRow,
  secret: string,
  project?: string,
): Promise<RootCredential> {
  const row = await (project === undefined
    ? services.tenants.ensureProject(tenant, () => randomUUID())
    : services.tenants.createProject(tenant, project));
  const key = await services.keys.ensureFixed(
    {
      vendor: 'basic',
      tenantId: tenant.id,
      projectId: row.id,
      name: 'keyforge-root',
      kind: ADMIN_ROLE,
      scopes: [ADMIN_ROLE],
      createdBy: 'keyforge',
      format: BASIC_KEY_FORMAT,
    },
    secret,
  );
  // A secret stored earlier stays where it was: report the project it really belongs to.
  const home =
    key.projectId === row.id || key.projectId === null
      ? row
      : ((await services.tenants.projectById(key.projectId)) ?? row);
  return { tenant: tenant.name, secret, project: home.externalId };
}
