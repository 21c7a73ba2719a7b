// Bytebeam REST API (a Clojure service: reitit routes, malli coercion, muuntaja formats):
// POST /api/v1/apikeys (openapi/bytebeam.yaml), plus list and delete by name (our choice of
// shape, docs/vendors/bytebeam.md). Every call speaks JSON, transit+json, transit+msgpack and EDN.
// Order of checks: credentials (401), role (403), body (400), then the call; muuntaja answers
// any Accept (JSON when it writes none of the types accepted).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TenantRow } from '../../db/key-store.js';
import type { KeyforgeServices, RootCredential, VendorDialect } from '../dialect.js';
import { createKey, deleteKey, listKeys } from './apikeys.js';
import {
  ADMIN_ROLE,
  assertMayManageKeys,
  authenticate,
  BYTEBEAM_KEY_FORMAT,
  KEY_HEADER,
  TENANT_HEADER,
} from './auth.js';
import { MEDIA_TYPES } from './codecs.js';
import { bytebeamAnswers, bytebeamErrorHandler, bytebeamNotFound } from './errors.js';
import { reititMethodNotAllowed, reititOptions } from './methods.js';
import { methodRoute, otherMethods } from '../../http/methods.js';
import { answerIn, negotiate, registerBodyParsers } from './negotiation.js';
import {
  apiKeyEntry,
  apiKeyList,
  apiKeyNameParams,
  apiKeyResponse,
  createApiKeyRequest,
  inEveryMediaType,
} from './schemas.js';
import { storeRootKey } from '../../keys/root-key.js';
import { document } from './document.js';

const COLLECTION = '/api/v1/apikeys';
const TAGS = ['admin'];
const SECURITY = [{ apiKeyAuth: [], tenantAuth: [] }];

/** Each path and the methods its routes serve. */
const PATHS: Record<string, readonly string[]> = {
  [COLLECTION]: ['GET', 'POST'],
  [`${COLLECTION}/:name`]: ['DELETE'],
};

const routes: FastifyPluginAsync = async (instance) => {
  registerBodyParsers(instance);
  instance.setErrorHandler(bytebeamErrorHandler);
  // reitit-ring's default handler: outside the routes' middleware, so before Accept and auth.
  for (const [url, served] of Object.entries(PATHS)) {
    methodRoute(instance, { url, methods: otherMethods([...served, 'OPTIONS']), onRequest: reititMethodNotAllowed });
  }
  await instance.register(keyRoutes);
};

const keyRoutes: FastifyPluginAsync = async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  // Every route here manages keys, which only admin keys may do.
  app.addHook('onRequest', async (request, reply) => {
    answerIn(reply, negotiate(request.headers.accept));
    const principal = await authenticate(request);
    assertMayManageKeys(principal);
    request.principal = principal;
  });

  app.post(
    COLLECTION,
    {
      schema: {
        tags: TAGS,
        summary: 'Create a new apikey',
        description:
          'Creates a key with a role. The key (a UUID) is shown only in this answer. Names are unique within the tenant.',
        security: SECURITY,
        consumes: [...MEDIA_TYPES],
        body: createApiKeyRequest,
        response: { 200: inEveryMediaType(apiKeyResponse, 'The created key.') },
      },
      config: { answers: bytebeamAnswers({ decodesBody: true, findsKey: false, receivesBody: true }) },
    },
    async (request) => createKey(app.keys, request.principal!, request.body),
  );

  app.get(
    COLLECTION,
    {
      schema: {
        tags: TAGS,
        summary: 'List apikeys',
        description: "Lists the tenant's keys, oldest first, without their secrets.",
        security: SECURITY,
        response: { 200: inEveryMediaType(apiKeyList, "The tenant's keys.") },
      },
      config: { answers: bytebeamAnswers({ decodesBody: false, findsKey: false, receivesBody: false }) },
      exposeHeadRoute: false, // reitit serves no HEAD a route does not declare
    },
    async (request) => listKeys(app.keys, request.principal!.tenant.id),
  );

  app.delete(
    `${COLLECTION}/:name`,
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an apikey',
        description:
          'Deletes the key with that name; it stops authenticating at once. Deleting the key in use is allowed.',
        security: SECURITY,
        params: apiKeyNameParams,
        response: { 200: inEveryMediaType(apiKeyEntry, 'The deleted key.') },
      },
      config: { answers: bytebeamAnswers({ decodesBody: false, findsKey: true, receivesBody: true }) },
    },
    async (request) => deleteKey(app.keys, request.principal!.tenant.id, request.params.name),
  );

  // reitit's default OPTIONS endpoint is part of each path's route data, so the routes'
  // middleware (Accept, credentials, role) runs first.
  for (const [url, served] of Object.entries(PATHS))
    methodRoute(app, { url, methods: ['OPTIONS'], handler: reititOptions(served) });
};

async function ensureRoot(services: KeyforgeServices, tenant: TenantRow, secret?: string): Promise<RootCredential> {
  // No name: a root credential is the console user's session, not a listed API key (apikeys.ts).
  const input = {
    vendor: 'bytebeam',
    tenantId: tenant.id,
    name: null,
    kind: ADMIN_ROLE,
    createdBy: 'keyforge',
    format: BYTEBEAM_KEY_FORMAT,
  };
  return { tenant: tenant.name, secret: await storeRootKey(services.keys, input, secret) };
}

export const bytebeam: VendorDialect = {
  document,
  name: 'bytebeam',
  title: 'Bytebeam REST API',
  routes,
  notFound: bytebeamNotFound,
  keyFormat: BYTEBEAM_KEY_FORMAT,
  credentialHeader: KEY_HEADER,
  demo: { tenant: 'demo-tenant', secret: '0bde4a11-5eed-4c0d-9e00-00000000b17e' },
  issueRootCredential: (services, tenant) => ensureRoot(services, tenant),
  ensureRootCredential: (services, tenant, secret) => ensureRoot(services, tenant, secret),
  createKeyRequest: (root) => ({
    method: 'POST',
    path: COLLECTION,
    headers: { [KEY_HEADER]: root.secret, [TENANT_HEADER]: root.tenant, 'Content-Type': 'application/json' },
    body: { name: 'ci', role: 'admin' },
    uniqueField: 'name',
  }),
};
