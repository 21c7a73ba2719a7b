// Imtegrate API (a FastAPI service): POST /v1/api-keys (openapi/imtegrate.yaml), plus the
// lifecycle calls we chose: GET /v1/api-keys and POST /v1/api-keys/{id}/revoke.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TenantRow } from '../../db/key-store.js';
import { NotFound } from '../../keys/errors.js';
import type { KeyRecord } from '../../keys/service.js';
import { registerFastApiBodyParser } from '../../frameworks/fastapi/requests.js';
import type { KeyforgeServices, RootCredential, VendorDialect } from '../dialect.js';
import { envOf, IMTEGRATE_KEY_FORMAT, KEY_FORMATS, requireScope, WORDING } from './auth.js';
import { fastApiAnswers, httpValidationError } from '../../frameworks/fastapi/answers.js';
import {
  refuseOtherMethods,
  routeLikeStarlette,
  starletteNotFound,
} from '../../frameworks/fastapi/starlette-routing.js';
import { imtegrateErrorHandler } from './errors.js';
import { parseUuid, pydanticDateTime } from '../../frameworks/fastapi/pydantic-types.js';
import * as schemas from './schemas.js';
import { storeRootKey } from '../../keys/root-key.js';
import { document } from './document.js';

/**
 * Each path and the methods of its routes, in declaration order (create first): every other
 * method answers 405 naming the first (starlette-routing.ts); FastAPI serves no HEAD for a GET.
 */
const PATHS: Record<string, readonly string[]> = {
  '/v1/api-keys': ['POST', 'GET'],
  '/v1/api-keys/:id/revoke': ['POST'],
};

/** What each operation answers besides its success (its 422: the examples FastAPI gives). */
const ANSWERS = {
  create: fastApiAnswers({
    unauthorized: WORDING.unauthenticated,
    forbidden: WORDING.forbidden,
    readsBody: true,
    invalid: [
      {
        type: 'string_too_short',
        loc: ['body', 'name'],
        msg: 'String should have at least 2 characters',
        input: 'c',
        ctx: { min_length: 2 },
      },
    ],
    documented: [422],
  }),
  list: fastApiAnswers({ unauthorized: WORDING.unauthorized, forbidden: WORDING.forbidden }),
  revoke: fastApiAnswers({
    unauthorized: WORDING.unauthorized,
    receivesBody: true,
    forbidden: WORDING.forbidden,
    notFound: 'Not Found',
    invalid: [
      {
        type: 'uuid_parsing',
        loc: ['path', 'id'],
        msg: 'Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3',
        input: 'abc',
        ctx: { error: 'invalid length: expected length 32 for simple format, found 3' },
      },
    ],
  }),
};

const routes: FastifyPluginAsync = async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  registerFastApiBodyParser(app);
  app.setErrorHandler(imtegrateErrorHandler);
  routeLikeStarlette(app, PATHS);

  app.post(
    '/v1/api-keys',
    {
      schema: {
        summary: 'Create Key',
        operationId: 'create_key_v1_api_keys_post',
        tags: ['api-keys'],
        body: schemas.createApiKeyRequest,
        response: { 201: schemas.apiKeyCreatedResponse, 422: httpValidationError },
      },
      config: { answers: ANSWERS.create },
      preValidation: requireScope(schemas.WRITE_SCOPES),
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { name, scopes, env } = request.body;
      const { key, secret } = await app.keys.issue({
        vendor: 'imtegrate',
        tenantId: principal.tenant.id,
        name,
        kind: env,
        scopes,
        createdBy: principal.key.id,
        format: KEY_FORMATS[env as schemas.Env], // the schema admits only test|live
      });
      return reply.code(201).send({ ...view(app, key), token: secret });
    },
  );

  app.get(
    '/v1/api-keys',
    {
      schema: { summary: 'List Keys', tags: ['api-keys'], response: { 200: schemas.apiKeyListResponse } },
      config: { answers: ANSWERS.list },
      exposeHeadRoute: false,
      preValidation: requireScope(schemas.READ_SCOPES),
    },
    async (request) =>
      (await app.keys.list({ tenantId: request.principal!.tenant.id, includeRevoked: true })).map((key) =>
        view(app, key),
      ),
  );

  app.post(
    '/v1/api-keys/:id/revoke',
    {
      schema: {
        summary: 'Revoke Key',
        tags: ['api-keys'],
        params: schemas.keyIdParams,
        response: { 200: schemas.apiKeyResponse },
      },
      config: { answers: ANSWERS.revoke },
      preValidation: requireScope(schemas.WRITE_SCOPES),
    },
    async (request) => {
      const key = await app.keys.get(parseUuid(request.params.id)!);
      // Another org's key is as unknown as a key that never existed.
      if (!key || key.vendor !== 'imtegrate' || key.tenantId !== request.principal!.tenant.id)
        throw new NotFound('Not Found');
      // Revoking twice keeps the first revoked_at.
      return view(app, key.revokedAt ? key : (await app.keys.revoke(key.id))!);
    },
  );

  refuseOtherMethods(app, PATHS);
};

function view(app: FastifyInstance, key: KeyRecord): schemas.ApiKeyView {
  const lastUse = app.keys.lastUse(key);
  return {
    id: key.id,
    org_id: key.tenantId,
    prefix: key.lookupId,
    name: key.name ?? '',
    scopes: key.scopes ?? [],
    last_used_at: lastUse && pydanticDateTime(lastUse),
    revoked_at: key.revokedAt && pydanticDateTime(key.revokedAt),
    created_at: pydanticDateTime(key.createdAt),
  };
}

/** Root credentials are `*`-scoped keys of the env their token names (test when issued fresh). */
async function ensureRoot(services: KeyforgeServices, tenant: TenantRow, secret?: string): Promise<RootCredential> {
  const env = secret === undefined ? 'test' : envOf(secret);
  const input = {
    vendor: 'imtegrate',
    tenantId: tenant.id,
    name: 'keyforge-root',
    kind: env,
    scopes: ['*'],
    createdBy: 'keyforge',
    format: secret === undefined ? KEY_FORMATS.test : IMTEGRATE_KEY_FORMAT,
  };
  return { tenant: tenant.name, secret: await storeRootKey(services.keys, input, secret) };
}

export const imtegrate: VendorDialect = {
  document,
  name: 'imtegrate',
  title: 'Imtegrate API',
  routes,
  notFound: starletteNotFound(PATHS, 'imtegrate'),
  keyFormat: IMTEGRATE_KEY_FORMAT,
  credentialHeader: 'authorization',
  server: 'uvicorn',
  demo: { tenant: 'demo-org', secret: 'imt_test_kfdemo05_ImtegrateDemoToken00000000000000' },
  issueRootCredential: (services, tenant) => ensureRoot(services, tenant),
  ensureRootCredential: (services, tenant, secret) => ensureRoot(services, tenant, secret),
  createKeyRequest: (root) => ({
    method: 'POST',
    path: '/v1/api-keys',
    headers: { Authorization: `Bearer ${root.secret}`, 'Content-Type': 'application/json' },
    body: { name: 'ci-key', scopes: ['api_keys:write'], env: 'test' },
  }),
};
