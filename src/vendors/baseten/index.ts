// Baseten management API: POST /v1/api_keys (openapi/baseten.yaml).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerFastApiBodyParser } from '../common/fastapi.js';
import type { KeyforgeServices, RootCredential, VendorDialect } from '../dialect.js';
import type { TenantRow } from '../../db/schema.js';
import { assertMayManageKeys, authenticate, BASETEN_KEY_FORMAT } from './auth.js';
import { basetenErrorHandler, basetenNotFound } from './errors.js';
import { apiKeyResponse, createApiKeyRequest } from './schemas.js';

const routes: FastifyPluginAsync = async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  registerFastApiBodyParser(app);
  app.setErrorHandler(basetenErrorHandler);
  app.addHook('onRequest', async (request) => {
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
};

async function ensureRoot(services: KeyforgeServices, tenant: TenantRow, secret?: string): Promise<RootCredential> {
  const input = {
    vendor: 'baseten',
    tenantId: tenant.id,
    name: 'keyforge-root',
    kind: 'PERSONAL',
    createdBy: 'keyforge',
    format: BASETEN_KEY_FORMAT,
  };
  if (secret !== undefined) {
    await services.keys.ensureFixed(input, secret);
    return { tenant: tenant.name, secret };
  }
  return { tenant: tenant.name, secret: (await services.keys.issue(input)).secret };
}

export const baseten: VendorDialect = {
  name: 'baseten',
  title: 'Baseten management API',
  routes,
  notFound: basetenNotFound,
  keyFormat: BASETEN_KEY_FORMAT,
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
