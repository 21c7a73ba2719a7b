// Basic (Fastify): user JWTs and project keys under /project/{id}/key, `{error, message}` errors.
import { expect } from 'vitest';
import type { DialectTestDescription } from './description.js';
import { isRecord, json, twoFieldError } from './shapes.js';

export const description: DialectTestDescription<'basic'> = {
  vendor: 'basic',
  uniqueCreateBody: (body, unique) => ({ ...body, label: `k-${unique}` }),
  lifecycleCreateFields: () => ({ roles: 'admin' }),
  issuedSecret: (created) => created.key.value,
  handleOf: (created) => created.key.id,
  // A project key's last 32 characters; a user JWT's signature.
  secretTail: (secret) => (secret.startsWith('bsk_') ? secret.slice(-32) : secret.split('.').at(-1)!),
  credentialHeaders: (_tenant, secret) => ({ authorization: `Bearer ${secret}` }),
  keysPath: (tenant) => `/project/${tenant.project}/key`,
  lists: (listed, handle) => listed.keys.some((k: { id: string }) => k.id === handle),
  removeCall: (tenant, handle) => ({ method: 'DELETE', path: `/project/${tenant.project}/key/${handle}` }),
  refusedSecret: 'bad',
  hasProjects: true,
  rootIsStoredKey: false,
  realPaths: ['/project/'],
  isSuccess: (res) => {
    const body = json(res);
    return res.statusCode === 200 && isRecord(body) && ('key' in body || 'keys' in body || 'is_valid' in body);
  },
  isError: (res) => twoFieldError(json(res)),
  redirectsTrailingSlash: false,
  headAsGet: true,
  unroutedMethodStatus: 404,
  bodiless406: false,
  expectUnavailable: (body) =>
    expect(body).toEqual({ error: 'Service Unavailable', message: 'the database is unavailable' }),
};
