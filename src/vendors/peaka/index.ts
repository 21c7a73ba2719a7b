// Peaka Gateway API (server base /api/v1): create (openapi/peaka.yaml), list and delete API keys
// of a project. Spring Security authenticates before Spring MVC reads the body, so 401/403
// are decided in onRequest, then 415/400 (body), then 404 (project) in the handler.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TenantRow } from '../../db/key-store.js';
import { NotFound } from '../../keys/errors.js';
import { randomBase62 } from '../../keys/formats.js';
import type { KeyRecord } from '../../keys/service.js';
import { registerSpringJsonBodyParser, requireBody, springErrorSchema } from '../../frameworks/spring/errors.js';
import { refuseUnacceptable } from '../../frameworks/spring/accept.js';
import type { KeyforgeServices, RootCredential, VendorDialect } from '../dialect.js';
import { assertPartner, authenticate, ownProject, PARTNER_KEY, PEAKA_KEY_FORMAT, PROJECT_KEY } from './auth.js';
import { ANSWERS, peakaErrorHandler, peakaNotFound } from './errors.js';
import { answerOtherMethods } from './methods.js';
import * as schemas from './schemas.js';
import { storeRootKey } from '../../keys/root-key.js';
import { document } from './document.js';

const COLLECTION = '/api/v1/projects/:projectId/apiKeys';
const ITEM = `${COLLECTION}/:apiKeyId`;
const TAGS = ['Projects -- Api Key'];
/** Spring's error body, as the create call's errors are written (their documents: errors.ts ANSWERS). */
const ERRORS = { 400: springErrorSchema, 401: springErrorSchema, 403: springErrorSchema, 404: springErrorSchema };

const routes: FastifyPluginAsync = async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  registerSpringJsonBodyParser(app);
  app.setErrorHandler(peakaErrorHandler);
  // Every Peaka route here manages keys, which only partner keys may do (project keys: 403).
  app.addHook('onRequest', async (request) => {
    const principal = await authenticate(request);
    assertPartner(principal);
    request.principal = principal;
  });

  app.post(
    COLLECTION,
    {
      schema: {
        tags: TAGS,
        summary: 'Create API Key',
        description:
          'Creates a new API Key for the specified Project. The full key value is only returned once, at creation time.',
        security: [{ bearerAuth: [] }],
        params: schemas.projectParams,
        body: schemas.createApiKeyRequest,
        response: { 200: schemas.apiKeyResponse, ...ERRORS },
      },
      config: { answers: ANSWERS.create },
      onRequest: refuseUnacceptable, // produces JSON only: after Spring Security, before the body
      preValidation: requireBody,
    },
    async (request) => {
      const principal = request.principal!;
      const expiresAt = schemas.futureExpiry(request.body.expiresAt, app.clock());
      const project = await ownProject(app.tenants, principal, request.params.projectId);
      const { key, secret } = await app.keys.issue({
        vendor: 'peaka',
        tenantId: principal.tenant.id,
        projectId: project.id,
        name: request.body.name ?? null,
        kind: PROJECT_KEY,
        expiresAt,
        createdBy: principal.key.id,
        format: PEAKA_KEY_FORMAT,
      });
      const { name, apiKeyId, expiresAt: expiry } = summary(key);
      return { name, apiKey: secret, apiKeyId, expiresAt: expiry };
    },
  );

  app.get(
    COLLECTION,
    {
      schema: {
        tags: TAGS,
        summary: 'List API Keys',
        description: "Lists the Project's API keys, oldest first, expired ones included. Never returns a secret.",
        security: [{ bearerAuth: [] }],
        params: schemas.projectParams,
        response: { 200: schemas.apiKeyList },
      },
      config: { answers: ANSWERS.list },
      onRequest: refuseUnacceptable,
    },
    async (request) => {
      const principal = request.principal!;
      const project = await ownProject(app.tenants, principal, request.params.projectId);
      return (await app.keys.list({ tenantId: principal.tenant.id, projectId: project.id })).map(summary);
    },
  );

  app.delete(
    ITEM,
    {
      schema: {
        tags: TAGS,
        summary: 'Delete API Key',
        description:
          'Deletes an API key of the Project; it stops authenticating at once. Answers 200 with an empty body.',
        security: [{ bearerAuth: [] }],
        params: schemas.apiKeyParams,
      },
      config: { answers: ANSWERS.delete },
      onRequest: refuseUnacceptable,
    },
    async (request, reply) => {
      const principal = request.principal!;
      const project = await ownProject(app.tenants, principal, request.params.projectId);
      const key = await app.keys.get(request.params.apiKeyId);
      // Another project's or partner's key, or one already deleted (a revoked row), is as unknown as a missing one.
      if (
        !key ||
        key.vendor !== 'peaka' ||
        key.tenantId !== principal.tenant.id ||
        key.projectId !== project.id ||
        key.revokedAt !== null
      ) {
        throw new NotFound('API key not found');
      }
      await app.keys.remove(key.id);
      return reply.code(200).send();
    },
  );

  // After Spring Security (the onRequest hook above), as DispatcherServlet's mapping answers.
  for (const [url, declared] of Object.entries(PATHS)) answerOtherMethods(app, url, declared);
};

/**
 * Each path and its mappings' methods, in declaration order (create first). HEAD is served by
 * the GET mapping (Fastify's HEAD route does the same); TRACE never gets this far (errors.ts).
 */
const PATHS: Record<string, readonly string[]> = { [COLLECTION]: ['POST', 'GET'], [ITEM]: ['DELETE'] };

/** A key as the list shows it; Jackson leaves null fields out (as the create example shows for expiresAt). */
function summary(key: KeyRecord) {
  return {
    name: key.name ?? undefined,
    apiKeyId: key.id,
    expiresAt: key.expiresAt ? schemas.instantString(key.expiresAt) : undefined,
  };
}

async function ensureRoot(
  services: KeyforgeServices,
  tenant: TenantRow,
  secret?: string,
  project?: string,
): Promise<RootCredential> {
  const input = {
    vendor: 'peaka',
    tenantId: tenant.id,
    name: 'keyforge-partner',
    kind: PARTNER_KEY,
    createdBy: 'keyforge',
    format: PEAKA_KEY_FORMAT,
  };
  const partnerKey = await storeRootKey(services.keys, input, secret);
  // Partner keys belong to no project, but the request that creates a key needs one.
  const row = await (project === undefined
    ? services.tenants.ensureProject(tenant, () => randomBase62(8))
    : services.tenants.createProject(tenant, project));
  return { tenant: tenant.name, secret: partnerKey, project: row.externalId };
}

export const peaka: VendorDialect = {
  document,
  name: 'peaka',
  title: 'Peaka Gateway API',
  routes,
  notFound: peakaNotFound,
  keyFormat: PEAKA_KEY_FORMAT,
  credentialHeader: 'authorization',
  demo: { tenant: 'demo-partner', secret: 'kfdemo02.PeakaDemoPartnerKey0000000000000', project: 'DemoPrj1' },
  issueRootCredential: (services, tenant) => ensureRoot(services, tenant),
  ensureRootCredential: (services, tenant, secret, project) => ensureRoot(services, tenant, secret, project),
  createKeyRequest: (root) => ({
    method: 'POST',
    path: `/api/v1/projects/${encodeURIComponent(root.project ?? '')}/apiKeys`,
    headers: { Authorization: `Bearer ${root.secret}`, 'Content-Type': 'application/json' },
    body: { name: 'test' },
  }),
};
