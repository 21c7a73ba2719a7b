// Peaka (Spring Boot): project keys under /api/v1/projects/{projectId}/apiKeys, named by their
// apiKeyId; Spring's `{timestamp, status, error, message, path}` errors.
import { expect } from 'vitest';
import type { DialectTestDescription } from './description.js';
import { frameworkOptionsAnswer, isRecord, json, springError } from './shapes.js';

export const description: DialectTestDescription<'peaka'> = {
  vendor: 'peaka',
  uniqueCreateBody: (body) => ({ ...body }),
  lifecycleCreateFields: (unique) => ({ name: `k-${unique}` }),
  issuedSecret: (created) => created.apiKey,
  handleOf: (created) => created.apiKeyId,
  secretTail: (secret) => secret.slice(-32),
  credentialHeaders: (_tenant, secret) => ({ authorization: `Bearer ${secret}` }),
  // A project key may not manage keys: 403 says it authenticated, 401 that it did not.
  keysPath: (tenant) => `/api/v1/projects/${tenant.project}/apiKeys`,
  lists: (listed, handle) => listed.some((k: { apiKeyId: string }) => k.apiKeyId === handle),
  removeCall: (tenant, handle) => ({ method: 'DELETE', path: `/api/v1/projects/${tenant.project}/apiKeys/${handle}` }),
  refusedSecret: 'bad',
  hasProjects: true,
  rootIsStoredKey: true,
  realPaths: ['/api/v1/projects/'],
  isSuccess: (res) => {
    if (frameworkOptionsAnswer(res)) return true;
    if (res.statusCode === 200 && res.body === '') return true; // delete answers an empty body
    const body = json(res);
    return res.statusCode === 200 && (Array.isArray(body) || (isRecord(body) && 'apiKeyId' in body));
  },
  // Spring's 406 to an Accept with no JSON: the Whitelabel page, or no body (src/frameworks/spring/accept.ts).
  isError: (res) =>
    res.statusCode === 406
      ? res.body === '' || res.body.startsWith('<html><body><h1>Whitelabel Error Page</h1>')
      : springError(json(res), res.statusCode),
  redirectsTrailingSlash: false,
  headAsGet: true,
  unroutedMethodStatus: 405,
  bodiless406: true,
  expectUnavailable: (body) =>
    expect(body).toMatchObject({ status: 503, error: 'Service Unavailable', message: 'the database is unavailable' }),
};
