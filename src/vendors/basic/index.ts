// Basic Admin API: project API keys. POST /project/:id/key is in openapi/basic.yaml; get,
// delete and verify follow Basic's docs; list is our choice (docs/vendors/basic.md).
import type { FastifyPluginAsync, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { KeyRecord } from '../../keys/service.js';
import type { VendorDialect } from '../dialect.js';
import {
  assertMayManageKeys,
  authenticate,
  BASIC_KEY_FORMAT,
  creatorOf,
  ensureRootCredential,
  issueRootCredential,
  keyInProject,
  projectFor,
} from './auth.js';
import { basicBadUrl, basicErrorHandler, basicNotFound, basicUnroutedBodyError } from './errors.js';
import * as s from './schemas.js';
import { document } from './document.js';

/** created_at as Basic prints it: ISO-8601 UTC in whole seconds, `2023-11-07T05:31:56Z`. */
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const view = (key: KeyRecord) => ({
  id: key.id,
  label: key.name ?? '',
  roles: key.kind,
  created_at: isoSeconds(key.createdAt),
});

/** Ajv's type coercion happens before validation in Fastify; so it does here. */
const coerce =
  (fields: readonly string[]): preValidationAsyncHookHandler =>
  async (request) => {
    request.body = s.coerceStringFields(request.body, fields);
  };

/** List and get (GETs: Fastify reads no body) manage keys. */
const BODILESS_ANSWERS = s.basicAnswers({ readsBody: false, managesKeys: true });

const routes: FastifyPluginAsync = async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  // Fastify's stock parsers, pinned here so parsers added elsewhere never change Basic's answers:
  // JSON (empty → 400; malformed, a __proto__ key or a constructor.prototype → 400, as stock
  // Fastify's onProtoPoisoning and onConstructorPoisoning 'error' refuse them), text/plain as a
  // string, anything else 415.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    request.rawBody = text;
    parseJson(request, text as string, done);
  });
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, text, done) => {
    request.rawBody = text;
    done(null, text);
  });
  app.setErrorHandler(basicErrorHandler);
  app.decorateRequest('basicCaller', null);
  // Auth comes first, as with a Fastify onRequest auth hook: no credential → 401 before any body check.
  app.addHook('onRequest', async (request) => {
    request.basicCaller = await authenticate(request);
  });
  const security: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyAuth: [] }];
  const tags = ['project-keys'];

  app.post(
    '/project/:id/key',
    {
      schema: {
        tags,
        summary: 'Create new API key',
        description: 'Creates a new API key for the project with specified permissions',
        security,
        params: s.projectParams,
        body: s.createKeyRequest,
        response: { 200: s.createKeyResponse, ...s.errorResponses },
      },
      config: { answers: s.basicAnswers({ readsBody: true, managesKeys: true, documented: [400, 401] }) },
      preValidation: coerce(['label', 'roles']),
    },
    async (request) => {
      const caller = request.basicCaller!;
      const project = await projectFor(request, caller, request.params.id);
      assertMayManageKeys(caller);
      const { label, roles } = request.body;
      const { key, secret } = await app.keys.issue({
        vendor: 'basic',
        tenantId: caller.tenant.id,
        projectId: project.id,
        name: label,
        kind: roles,
        scopes: s.roleList(roles),
        createdBy: creatorOf(caller),
        format: BASIC_KEY_FORMAT,
      });
      return { key: { ...view(key), value: secret } };
    },
  );

  app.get(
    '/project/:id/key',
    {
      schema: {
        tags,
        summary: 'List API keys',
        security,
        params: s.projectParams,
        response: { 200: s.keyListResponse, ...s.bodilessErrorResponses },
      },
      config: { answers: BODILESS_ANSWERS },
    },
    async (request) => {
      const caller = request.basicCaller!;
      const project = await projectFor(request, caller, request.params.id);
      assertMayManageKeys(caller);
      return { keys: (await app.keys.list({ tenantId: caller.tenant.id, projectId: project.id })).map(view) };
    },
  );

  app.get(
    '/project/:id/key/:key_id',
    {
      schema: {
        tags,
        summary: 'Get an API key',
        security,
        params: s.keyParams,
        response: { 200: s.keyResponse, ...s.bodilessErrorResponses },
      },
      config: { answers: BODILESS_ANSWERS },
    },
    async (request) => {
      const caller = request.basicCaller!;
      const project = await projectFor(request, caller, request.params.id);
      assertMayManageKeys(caller);
      return { key: view(await keyInProject(request, project, request.params.key_id)) };
    },
  );

  app.delete(
    '/project/:id/key/:key_id',
    {
      schema: {
        tags,
        summary: 'Delete an API key',
        description: 'Deletes the key at once; it stops authenticating on the next call. Answers the deleted key.',
        security,
        params: s.keyParams,
        response: { 200: s.keyResponse, ...s.errorResponses },
      },
      config: {
        answers: s.basicAnswers({
          readsBody: true,
          managesKeys: true,
          badRequest: "Body cannot be empty when content-type is set to 'application/json'",
        }),
      },
    },
    async (request) => {
      const caller = request.basicCaller!;
      const project = await projectFor(request, caller, request.params.id);
      assertMayManageKeys(caller);
      const key = await keyInProject(request, project, request.params.key_id);
      await app.keys.remove(key.id);
      return { key: view(key) };
    },
  );

  app.post(
    '/project/:id/key/verify',
    {
      schema: {
        tags,
        summary: 'Verify an API key',
        description:
          'Checks a key value against the project. Any credential that reaches the project may verify; no role is needed.',
        security,
        params: s.projectParams,
        body: s.verifyKeyRequest,
        response: { 200: s.verifyKeyResponse, ...s.verifyErrorResponses },
      },
      config: { answers: s.basicAnswers({ readsBody: true, managesKeys: false }) },
      preValidation: coerce(['key', 'key_id']),
    },
    async (request) => {
      const project = await projectFor(request, request.basicCaller!, request.params.id);
      const { key: value, key_id } = request.body;
      // The value is data here, not a credential: an unknown one is never enrolled (--auth any)
      // and checking one is not a use of it.
      const lookupId = BASIC_KEY_FORMAT.lookupId(value);
      const known = lookupId !== null && (await app.keys.findByLookupId('basic', lookupId)) !== undefined;
      const principal = known ? await app.keys.inspect('basic', value, BASIC_KEY_FORMAT) : null;
      // Another project's key is as invalid here as an unknown one: no hint that it exists.
      if (
        !principal ||
        principal.key.projectId !== project.id ||
        (key_id !== undefined && key_id !== principal.key.id)
      ) {
        return { is_valid: false, key: null };
      }
      return { is_valid: true, key: view(principal.key) };
    },
  );
};

export const basic: VendorDialect = {
  document,
  name: 'basic',
  title: 'Basic Admin API',
  routes,
  notFound: basicNotFound,
  unroutedBodyError: basicUnroutedBodyError,
  badUrl: basicBadUrl,
  keyFormat: BASIC_KEY_FORMAT,
  credentialHeader: 'authorization',
  demo: {
    tenant: 'demo-account',
    secret: 'bsk_kfdemo03BasicDemoKey00000000000000000000',
    project: '0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001',
  },
  issueRootCredential,
  ensureRootCredential,
  createKeyRequest: (root) => ({
    method: 'POST',
    path: `/project/${root.project}/key`,
    headers: { Authorization: `Bearer ${root.secret}`, 'Content-Type': 'application/json' },
    body: { label: 'ci', roles: 'read,write' },
  }),
};
