// Bytebeam authenticates every call with two headers: `x-bytebeam-api-key` (the key, a UUID
// v4) and `x-bytebeam-tenant` (the tenant it belongs to). Both are required and must agree.
import type { FastifyRequest } from 'fastify';
import { Forbidden, InvalidCredential } from '../../keys/errors.js';
import { uuidFormat } from '../../keys/formats.js';
import type { Principal } from '../../keys/service.js';
import { singleHeader } from '../../http/auth-header.js';

/**
 * The whole UUID is the secret; its first 8 hex digits (32 random bits) serve as lookup id,
 * enough to find one row before any argon2 work (the service verifies collisions away).
 */
export const BYTEBEAM_KEY_FORMAT = uuidFormat(8);

export const KEY_HEADER = 'x-bytebeam-api-key';
export const TENANT_HEADER = 'x-bytebeam-tenant';

/** The only role that manages keys (docs/vendors/bytebeam.md: our choice). */
export const ADMIN_ROLE = 'admin';

export async function authenticate(request: FastifyRequest): Promise<Principal> {
  const secret = singleHeader(request.headers[KEY_HEADER]);
  const tenant = singleHeader(request.headers[TENANT_HEADER]);
  if (secret === null || tenant === null) throw new InvalidCredential();
  // A UUID names the same key in either case, as java.util.UUID/fromString reads it.
  const principal = await request.server.keys.verify('bytebeam', secret.toLowerCase(), BYTEBEAM_KEY_FORMAT, { tenant });
  // A key used with another tenant's name is refused exactly like an unknown key: no hint that it exists.
  if (!principal || principal.tenant.name !== tenant) throw new InvalidCredential();
  return principal;
}

export function assertMayManageKeys(principal: Principal): void {
  if (principal.key.kind !== ADMIN_ROLE) throw new Forbidden();
}

/** The user a tenant's root credential stands for (keyforge's choice of address). */
export const tenantUserEmail = (tenant: string): string => `admin@${tenant}`;

/**
 * `created-by` of the keys a principal creates: an API key's name, or for the tenant's root
 * credential (a console user's session, which has no name) the user's email.
 */
export function creatorName(principal: Principal): string {
  return principal.key.name ?? tenantUserEmail(principal.tenant.name);
}
