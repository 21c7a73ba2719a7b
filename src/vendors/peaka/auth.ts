// Peaka authenticates with `Authorization: Bearer <apiKey>`. Keys are `<8 base62>.<32 base62>`;
// the part before the dot names the key. Partner keys belong to a partner (tenant) and manage
// every project's keys; project keys belong to one project and may not manage keys at all.
import type { FastifyRequest } from 'fastify';
import type { ProjectRow } from '../../db/key-store.js';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { dottedFormat } from '../../keys/formats.js';
import type { Principal } from '../../keys/service.js';
import type { TenantDirectory } from '../../keys/tenants.js';
import { credentialFromAuthorization } from '../../http/auth-header.js';

export const PEAKA_KEY_FORMAT = dottedFormat(8, 32);

/** The `kind` of Peaka keys in the key service. */
export const PARTNER_KEY = 'partner';
export const PROJECT_KEY = 'project';

export const WORDING = {
  // Spring Security's message when no credential reached it at all.
  missing: 'Full authentication is required to access this resource',
  unauthorized: 'Invalid API key',
  forbidden: 'Project API keys may not manage API keys; use a Partner API key',
  notFound: 'Not Found',
};

export async function authenticate(request: FastifyRequest): Promise<Principal> {
  const secret = credentialFromAuthorization(request.headers.authorization, ['Bearer']);
  if (secret === null) throw new InvalidCredential(WORDING.missing);
  const project = (request.params as { projectId?: string } | undefined)?.projectId;
  const hints = project === undefined ? {} : { project };
  // Malformed, unknown, expired and deleted keys all look alike to the client.
  const principal = await request.server.keys.verify('peaka', secret, PEAKA_KEY_FORMAT, hints);
  if (!principal) throw new InvalidCredential(WORDING.unauthorized);
  return principal;
}

export function assertPartner(principal: Principal): void {
  if (principal.key.kind !== PARTNER_KEY) throw new Forbidden(WORDING.forbidden);
}

/** The caller's project named in the path; another partner's project is as unknown as a missing one. */
export async function ownProject(
  tenants: TenantDirectory,
  principal: Principal,
  externalId: string,
): Promise<ProjectRow> {
  const project = await tenants.findProject('peaka', externalId);
  if (!project || project.tenantId !== principal.tenant.id) throw new NotFound('Project not found');
  return project;
}
