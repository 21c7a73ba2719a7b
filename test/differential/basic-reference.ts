// Basic's project-key calls on stock Fastify, as Basic's document (openapi/basic.yaml, which is
// @fastify/swagger output) shows them served: Fastify's defaults throughout — its Ajv options,
// body parsers, poisoning checks, body limit, HEAD routes, error and 404 handlers — and the
// JSON schemas of the document (create) and of docs/vendors/basic.md (the other calls). What is
// Basic's own code (the Bearer check, key format, projects, the admin role) follows that page;
// its errors are sent as `{error, message}`, as Basic documents them. Keys live in memory.
// Test code only: nothing here comes from keyforge's src/.
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

const PROJECT = '0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001';
const DEMO_KEY = 'bsk_kfdemo03BasicDemoKey00000000000000000000';
const KEY = /^bsk_[0-9A-Za-z]{40}$/;
const BEARER = /^([A-Za-z][A-Za-z0-9-]*) +(\S+) *$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

interface StoredKey {
  id: string;
  label: string;
  roles: string;
  value: string;
  created_at: string;
  project: string;
}

const seconds = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const view = ({ id, label, roles, created_at }: StoredKey) => ({ id, label, roles, created_at });
const fail = (reply: FastifyReply, status: number, error: string, message: string) =>
  reply.code(status).send({ error, message });

const projectParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const keyParams = {
  type: 'object',
  properties: { id: { type: 'string' }, key_id: { type: 'string' } },
  required: ['id', 'key_id'],
};
const createBody = {
  type: 'object',
  required: ['label', 'roles'],
  properties: { label: { type: 'string' }, roles: { type: 'string' } },
};
const verifyBody = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string' }, key_id: { type: 'string' } },
};
const created = {
  type: 'object',
  properties: {
    key: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        label: { type: 'string' },
        roles: { type: 'string' },
        value: { type: 'string' },
        created_at: { type: 'string', format: 'date-time' },
      },
    },
  },
};

export function basicReference(): FastifyInstance {
  const app = Fastify();
  const keys = new Map<string, StoredKey>();
  keys.set(randomUUID(), {
    id: '',
    label: 'keyforge-root',
    roles: 'admin',
    value: DEMO_KEY,
    created_at: seconds(),
    project: PROJECT,
  });
  for (const [id, key] of keys) key.id = id;
  const byValue = (value: string) => [...keys.values()].find((key) => key.value === value);

  app.register(async (scope) => {
    scope.decorateRequest('caller', null);
    scope.addHook('onRequest', async (request, reply) => {
      const match = BEARER.exec(request.headers.authorization ?? '');
      if (!match || match[1]!.toLowerCase() !== 'bearer')
        return fail(reply, 401, 'Unauthorized', 'Missing Bearer token in Authorization header');
      const key = KEY.test(match[2]!) ? byValue(match[2]!) : undefined;
      if (!key) return fail(reply, 401, 'Unauthorized', 'Invalid or expired token');
      (request as FastifyRequest & { caller: StoredKey }).caller = key;
    });
    const callerOf = (request: FastifyRequest) => (request as FastifyRequest & { caller: StoredKey }).caller;
    /** The caller's own project, else a 404 sent; then, when asked, the admin role, else a 403 sent. */
    const reach = (request: FastifyRequest, reply: FastifyReply, manages: boolean): StoredKey | null => {
      const caller = callerOf(request);
      if ((request.params as { id: string }).id !== caller.project)
        return (fail(reply, 404, 'Not Found', 'Project not found'), null);
      const roles = caller.roles.split(',').map((role) => role.trim());
      if (manages && !roles.includes('admin'))
        return (fail(reply, 403, 'Forbidden', "API key lacks the 'admin' role required to manage keys"), null);
      return caller;
    };
    const keyOf = (request: FastifyRequest, reply: FastifyReply): StoredKey | null => {
      const { id, key_id } = request.params as { id: string; key_id: string };
      const key = keys.get(key_id);
      if (!key || key.project !== id) return (fail(reply, 404, 'Not Found', 'Key not found'), null);
      return key;
    };

    scope.post(
      '/project/:id/key',
      { schema: { params: projectParams, body: createBody, response: { 200: created } } },
      async (request, reply) => {
        if (!reach(request, reply, true)) return reply;
        const { label, roles } = request.body as { label: string; roles: string };
        const value = `bsk_${[...randomBytes(40)].map((byte) => BASE62[byte % 62]).join('')}`;
        const key = {
          id: randomUUID(),
          label,
          roles,
          value,
          created_at: seconds(),
          project: (request.params as { id: string }).id,
        };
        keys.set(key.id, key);
        return { key: { ...view(key), value } };
      },
    );
    scope.get('/project/:id/key', { schema: { params: projectParams } }, async (request, reply) => {
      if (!reach(request, reply, true)) return reply;
      return { keys: [...keys.values()].filter((key) => key.project === callerOf(request).project).map(view) };
    });
    scope.get('/project/:id/key/:key_id', { schema: { params: keyParams } }, async (request, reply) => {
      if (!reach(request, reply, true)) return reply;
      const key = keyOf(request, reply);
      return key ? { key: view(key) } : reply;
    });
    scope.delete('/project/:id/key/:key_id', { schema: { params: keyParams } }, async (request, reply) => {
      if (!reach(request, reply, true)) return reply;
      const key = keyOf(request, reply);
      if (!key) return reply;
      keys.delete(key.id);
      return { key: view(key) };
    });
    scope.post(
      '/project/:id/key/verify',
      { schema: { params: projectParams, body: verifyBody } },
      async (request, reply) => {
        if (!reach(request, reply, false)) return reply;
        const { key: value, key_id } = request.body as { key: string; key_id?: string };
        const key = byValue(value);
        if (!key || key.project !== callerOf(request).project || (key_id !== undefined && key_id !== key.id))
          return { is_valid: false, key: null };
        return { is_valid: true, key: view(key) };
      },
    );
  });
  return app;
}
