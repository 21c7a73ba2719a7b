// The /_keyforge admin API: health, tenant bootstrap, key introspection (docs/contract.md, "Emulator controls").
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createTenantCredential } from '../bootstrap/credentials.js';
import type { KeyRecord } from '../keys/service.js';
import type { KeyforgeServices } from '../vendors/dialect.js';
import { RequestValidationError } from '../http/validation.js';
import { DIALECTS, dialectNamed } from '../vendors/index.js';
import { VERSION } from '../version.js';
import { StatusError } from '../expected-error.js';
import { adminTokenChecker } from './auth.js';
import { controlRoutes, type ControlsOptions } from './controls.js';
import * as schemas from './schemas.js';

export interface AdminOptions {
  adminToken: string;
  services: KeyforgeServices;
  /** The storage's health (src/db/open.ts). */
  health(): Promise<{ ok: boolean; reason?: string }>;
  controls: ControlsOptions;
}

const STATUS_ERROR: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (
  instance,
  { adminToken, services, health, controls },
) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const checkToken = adminTokenChecker(adminToken);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url !== '/_keyforge/health') checkToken(request.headers.authorization);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    // The database is not answering (StorageUnavailable): an outage, said as health says it, not an unexpected error.
    if (status === 503 && (error as { refusal?: string }).refusal === 'unavailable') {
      const reason = (error as { reason?: string }).reason;
      return reply
        .code(503)
        .send({ error: 'Service Unavailable', message: reason ? `${error.message}: ${reason}` : error.message });
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'admin request failed');
      return reply.code(500).send({ error: 'Internal Server Error', message: 'unexpected error' });
    }
    const message = error instanceof RequestValidationError ? describeIssues(error) : error.message;
    return reply.code(status).send({ error: STATUS_ERROR[status] ?? 'Bad Request', message });
  });

  await app.register(controlRoutes, controls);

  app.get(
    '/_keyforge/health',
    {
      schema: {
        summary: 'Whether this instance and its database answer',
        response: { 200: schemas.healthResponse, 503: schemas.healthResponse },
      },
    },
    async (_request, reply) => {
      const { ok, reason } = await health();
      const vendors = DIALECTS.map((d) => d.name);
      if (reason === undefined) return { status: 'ok' as const, version: VERSION, vendors };
      return reply.code(ok ? 200 : 503).send({ status: 'degraded' as const, reason, version: VERSION, vendors });
    },
  );

  app.post(
    '/_keyforge/tenants',
    {
      schema: {
        summary: 'Creates a tenant if needed and issues it a root credential',
        description:
          'Answers 201 with the exact request a client sends to create a key as that tenant (method, path, url, headers, body). ' +
          'Calling it again for an existing tenant issues another root credential; without `tenant` a name is generated.',
        body: schemas.createTenantRequest,
        response: { 201: schemas.createTenantResponse },
      },
    },
    async (request, reply) => {
      const dialect = dialectNamed(request.body.vendor)!;
      const created = await createTenantCredential(services, dialect, request.body.tenant);
      const url = `${request.protocol}://${request.host}${created.request.path}`;
      return reply.code(201).send({ ...created, request: { ...created.request, url } });
    },
  );

  app.get(
    '/_keyforge/keys',
    {
      schema: {
        summary: 'Lists keys without their secrets, revoked and expired ones included',
        description:
          'Every key of every vendor, or of one vendor (`vendor`) and/or one tenant name (`tenant`), with its state, scopes and last use.',
        querystring: schemas.listKeysQuery,
        response: { 200: schemas.listKeysResponse },
      },
    },
    async (request) => {
      const { vendor, tenant } = request.query;
      const names = new Names(services);
      if (tenant !== undefined) {
        const dialects = DIALECTS.filter((d) => vendor === undefined || d.name === vendor);
        const matches = (await Promise.all(dialects.map((d) => services.tenants.find(d.name, tenant)))).filter(
          (t) => t !== undefined,
        );
        const lists = await Promise.all(
          matches.map((t) => services.keys.list({ tenantId: t.id, includeRevoked: true })),
        );
        return { keys: await Promise.all(lists.flat().map((key) => view(key, names))) };
      }
      const keys = await services.keys.list({ vendor, includeRevoked: true });
      return { keys: await Promise.all(keys.map((key) => view(key, names))) };
    },
  );

  app.post(
    '/_keyforge/keys/:id/revoke',
    {
      schema: {
        summary:
          'Revokes a key (by the id /_keyforge/keys lists) on every instance; the vendor answers its 401 to it from then on',
        params: schemas.keyIdParams,
        response: { 200: schemas.keyView, 404: schemas.errorResponse },
      },
    },
    async (request) => {
      const key = await services.keys.get(request.params.id);
      if (!key) throw new StatusError(404, `no key with id ${request.params.id}`);
      return view(key.revokedAt ? key : ((await services.keys.revoke(key.id)) ?? key), new Names(services));
    },
  );

  app.post(
    '/_keyforge/keys/verify',
    {
      schema: {
        summary: 'Says whether a secret is a live key of a vendor, and which',
        description:
          'Introspection for tests: checking a secret here does not count as a use of it (no last-use update) and never enrols it under --auth any.',
        body: schemas.verifyRequest,
        response: { 200: schemas.verifyResponse },
      },
    },
    async (request) => {
      const dialect = dialectNamed(request.body.vendor)!;
      const principal = await services.keys.inspect(dialect.name, request.body.secret, dialect.keyFormat);
      return principal ? { valid: true, key: await view(principal.key, new Names(services)) } : { valid: false };
    },
  );

  async function view(key: KeyRecord, names: Names) {
    const now = services.clock().getTime();
    const state = key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt.getTime() <= now ? 'expired' : 'active';
    const lastUsedAt = services.keys.lastUse(key);
    return {
      id: key.id,
      vendor: key.vendor as schemas.VendorName,
      tenant: (await names.tenant(key.tenantId)) ?? key.tenantId,
      project: key.projectId === null ? null : ((await names.project(key.projectId)) ?? null),
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

/** Tenant and project names of one answer, each looked up once however many keys share it. */
class Names {
  private readonly tenants = new Map<string, Promise<string | undefined>>();
  private readonly projects = new Map<string, Promise<string | undefined>>();

  constructor(private readonly services: KeyforgeServices) {}

  tenant(id: string): Promise<string | undefined> {
    return memo(this.tenants, id, async () => (await this.services.tenants.findById(id))?.name);
  }

  project(id: string): Promise<string | undefined> {
    return memo(this.projects, id, async () => (await this.services.tenants.projectById(id))?.externalId);
  }
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = load()));
  return value;
}

function describeIssues(error: RequestValidationError): string {
  return error.issues.map((i) => `${[error.part, ...i.path].join('.')}: ${i.message}`).join('; ');
}
