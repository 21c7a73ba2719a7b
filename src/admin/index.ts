// The /_keyforge admin API: health, tenant bootstrap, key introspection (DESIGN.md section 5).
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createTenantCredential } from '../bootstrap/credentials.js';
import type { KeyRecord } from '../keys/service.js';
import type { KeyforgeServices } from '../vendors/dialect.js';
import { RequestValidationError } from '../vendors/common/validation.js';
import { DIALECTS, dialectNamed } from '../vendors/index.js';
import { VERSION } from '../version.js';
import { adminTokenChecker } from './auth.js';
import { controlRoutes, type ControlsOptions } from './controls.js';
import * as schemas from './schemas.js';

export interface AdminOptions {
  adminToken: string;
  services: KeyforgeServices;
  controls: ControlsOptions;
}

const STATUS_ERROR: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (instance, { adminToken, services, controls }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const checkToken = adminTokenChecker(adminToken);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url !== '/_keyforge/health') checkToken(request.headers.authorization);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'admin request failed');
      return reply.code(500).send({ error: 'Internal Server Error', message: 'unexpected error' });
    }
    const message = error instanceof RequestValidationError ? describeIssues(error) : error.message;
    return reply.code(status).send({ error: STATUS_ERROR[status] ?? 'Bad Request', message });
  });

  await app.register(controlRoutes, controls);

  app.get('/_keyforge/health', { schema: { response: { 200: schemas.healthResponse } } }, async () => ({
    status: 'ok' as const,
    version: VERSION,
    vendors: DIALECTS.map((d) => d.name),
  }));

  app.post(
    '/_keyforge/tenants',
    { schema: { body: schemas.createTenantRequest, response: { 201: schemas.createTenantResponse } } },
    async (request, reply) => {
      const dialect = dialectNamed(request.body.vendor)!;
      const created = await createTenantCredential(services, dialect, request.body.tenant);
      const url = `${request.protocol}://${request.host}${created.request.path}`;
      return reply.code(201).send({ ...created, request: { ...created.request, url } });
    },
  );

  app.get(
    '/_keyforge/keys',
    { schema: { querystring: schemas.listKeysQuery, response: { 200: schemas.listKeysResponse } } },
    async (request) => {
      const { vendor, tenant } = request.query;
      if (tenant !== undefined) {
        const matches = DIALECTS.filter((d) => vendor === undefined || d.name === vendor)
          .map((d) => services.tenants.find(d.name, tenant))
          .filter((t) => t !== undefined);
        if (matches.length === 0) return { keys: [] };
        return { keys: matches.flatMap((t) => services.keys.list({ tenantId: t.id, includeRevoked: true }).map(view)) };
      }
      return { keys: services.keys.list({ vendor, includeRevoked: true }).map(view) };
    },
  );

  app.post(
    '/_keyforge/keys/verify',
    { schema: { body: schemas.verifyRequest, response: { 200: schemas.verifyResponse } } },
    async (request) => {
      const dialect = dialectNamed(request.body.vendor)!;
      const principal = await services.keys.inspect(dialect.name, request.body.secret, dialect.keyFormat);
      return principal ? { valid: true, key: view(principal.key) } : { valid: false };
    },
  );

  function view(key: KeyRecord) {
    const now = services.clock().getTime();
    const state = key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt.getTime() <= now ? 'expired' : 'active';
    const lastUsedAt = services.keys.lastUse(key.id);
    return {
      id: key.id,
      vendor: key.vendor as schemas.VendorName,
      tenant: services.tenants.findById(key.tenantId)?.name ?? key.tenantId,
      project: key.projectId === null ? null : (services.tenants.projectById(key.projectId)?.externalId ?? null),
      name: key.name,
      kind: key.kind,
      prefix: key.lookupId,
      scopes: key.scopes,
      state: state as 'active' | 'revoked' | 'expired',
      createdBy: key.createdBy,
      createdAt: key.createdAt.toISOString(),
      expiresAt: key.expiresAt?.toISOString() ?? null,
      lastUsedAt: lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    };
  }
};

function describeIssues(error: RequestValidationError): string {
  return error.issues.map((i) => `${[error.part, ...i.path].join('.')}: ${i.message}`).join('; ');
}
