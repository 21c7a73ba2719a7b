// Baseten management API: POST /v1/api_keys (openapi/baseten.yaml).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerFastApiBodyParser } from '../../frameworks/fastapi/requests.js';
import {
  refuseOtherMethods,
  routeLikeStarlette,
  starletteNotFound,
} from '../../frameworks/fastapi/starlette-routing.js';
import type { KeyforgeServices, RootCredential, VendorDialect } from '../dialect.js';
import type { TenantRow } from '../../db/key-store.js';
import { assertMayManageKeys, authenticate, BASETEN_KEY_FORMAT } from './auth.js';
import { basetenErrorHandler, WORDING } from './errors.js';
import { fastApiAnswers } from '../../frameworks/fastapi/answers.js';
import { NotFound } from '../../keys/errors.js';
import type { KeyRecord } from '../../keys/service.js';
import {
  apiKeyPrefixParams,
  apiKeyResponse,
  createApiKeyRequest,
  deletedApiKeyResponse,
  listApiKeysResponse,
  type ApiKeyType,
} from './schemas.js';
import { storeRootKey } from '../../keys/root-key.js';
import { document } from './document.js';

/** What each operation answers besides its success; Baseten's document lists none. */
const ANSWERS = {
  create: fastApiAnswers({
    ...WORDING,
    readsBody: true,
    invalid: [{ type: 'missing', loc: ['body', 'type'], msg: 'Field required', input: { name: 'ci' } }],
  }),
  list: fastApiAnswers(WORDING),
  delete: fastApiAnswers({ ...WORDING, notFound: 'API key not found.', receivesBody: true }),
};

/** Each path and the methods of its routes, in declaration order (starlette-routing.ts). */
const PATHS: Record<string, readonly string[]> = {
  '/v1/api_keys': ['POST', 'GET'],
  '/v1/api_keys/:api_key_prefix': ['DELETE'],
};

const routes: FastifyPluginAsync = async (instance) => {
  registerFastApiBodyParser(instance);
  instance.setErrorHandler(basetenErrorHandler);
  // Starlette routes before any dependency runs: another method is 405 whatever the credential.
  routeLikeStarlette(instance, PATHS);
  refuseOtherMethods(instance, PATHS);
  await instance.register(keyRoutes);
};

const keyRoutes: FastifyPluginAsync = async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  // A FastAPI dependency: it runs once the body is decoded, before the body is validated.
  app.addHook('preValidation', async (request) => {
    request.principal = await authenticate(request);
  });

  app.post(
    '/v1/api_keys',
    {
      schema: {
        summary: 'Creates an API key',
        description: 'Creates an API key with the provided name and type. The API key is returned in the response.',
        security: [{ ApiKeyAuth: [] }],
        body: createApiKeyRequest,
        response: { 200: apiKeyResponse },
      },
      config: { answers: ANSWERS.create },
    },
    async (request) => {
      const principal = request.principal!;
      assertMayManageKeys(principal);
      const { name, type, model_ids } = request.body;
      const { secret } = await app.keys.issue({
        vendor: 'baseten',
        tenantId: principal.tenant.id,
        name,
        kind: type,
        scopes: model_ids,
        createdBy: principal.key.id,
        format: BASETEN_KEY_FORMAT,
      });
      return { api_key: secret };
    },
  );

  app.get(
    '/v1/api_keys',
    {
      schema: {
        summary: 'Lists API keys',
        description: "Lists the workspace's API keys. Secrets are never returned.",
        security: [{ ApiKeyAuth: [] }],
        response: { 200: listApiKeysResponse },
      },
      config: { answers: ANSWERS.list },
      exposeHeadRoute: false,
    },
    async (request) => {
      const principal = request.principal!;
      assertMayManageKeys(principal);
      return {
        keys: (await app.keys.list({ tenantId: principal.tenant.id })).map((key) =>
          summary(key, app.keys.lastUse(key)),
        ),
      };
    },
  );

  app.delete(
    '/v1/api_keys/:api_key_prefix',
    {
      schema: {
        summary: 'Deletes an API key',
        description: 'Deletes the API key with the given prefix. Deleting the key in use is allowed.',
        security: [{ ApiKeyAuth: [] }],
        params: apiKeyPrefixParams,
        response: { 200: deletedApiKeyResponse },
      },
      config: { answers: ANSWERS.delete },
    },
    async (request) => {
      const principal = request.principal!;
      assertMayManageKeys(principal);
      const { api_key_prefix: prefix } = request.params;
      const key = await app.keys.findByLookupId('baseten', prefix);
      // Another workspace's key answers exactly like a missing one.
      if (!key || key.tenantId !== principal.tenant.id || key.revokedAt !== null)
        throw new NotFound('API key not found.');
      await app.keys.remove(key.id);
      return { prefix };
    },
  );
};

function summary(key: KeyRecord, lastUsedAt: Date | null) {
  return {
    prefix: key.lookupId,
    name: key.name,
    type: key.kind as ApiKeyType,
    model_ids: key.scopes,
    created_at: key.createdAt.toISOString(),
    last_used_at: lastUsedAt?.toISOString() ?? null,
  };
}

async function ensureRoot(services: KeyforgeServices, tenant: TenantRow, secret?: string): Promise<RootCredential> {
  const input = {
    vendor: 'baseten',
    tenantId: tenant.id,
    name: 'keyforge-root',
    kind: 'PERSONAL',
    createdBy: 'keyforge',
    format: BASETEN_KEY_FORMAT,
  };
  return { tenant: tenant.name, secret: await storeRootKey(services.keys, input, secret) };
}

export const baseten: VendorDialect = {
  document,
  name: 'baseten',
  title: 'Baseten management API',
  routes,
  notFound: starletteNotFound(PATHS, 'baseten'),
  keyFormat: BASETEN_KEY_FORMAT,
  credentialHeader: 'authorization',
  server: 'uvicorn',
  demo: { tenant: 'demo-workspace', secret: 'kfdemo01.BasetenDemoKey000000000000000000' },
  issueRootCredential: (services, tenant) => ensureRoot(services, tenant),
  ensureRootCredential: (services, tenant, secret) => ensureRoot(services, tenant, secret),
  createKeyRequest: (root) => ({
    method: 'POST',
    path: '/v1/api_keys',
    headers: { Authorization: `Api-Key ${root.secret}`, 'Content-Type': 'application/json' },
    body: { name: 'my-api-key', type: 'PERSONAL' },
  }),
};
