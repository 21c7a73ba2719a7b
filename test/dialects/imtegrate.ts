// Imtegrate (FastAPI): org keys under /v1/api-keys, named by their id and revoked, not deleted;
// `{detail}` errors.
import { expect } from 'vitest';
import type { DialectTestDescription } from './description.js';
import { fastApiErrorAnswer, isRecord, json } from './shapes.js';

export const description: DialectTestDescription<'imtegrate'> = {
  vendor: 'imtegrate',
  uniqueCreateBody: (body) => ({ ...body }),
  lifecycleCreateFields: (unique) => ({ name: `k-${unique}`, scopes: ['*'] }),
  issuedSecret: (created) => created.token,
  handleOf: (created) => created.id,
  secretTail: (secret) => secret.slice(-32),
  credentialHeaders: (_tenant, secret) => ({ authorization: `Bearer ${secret}` }),
  keysPath: () => '/v1/api-keys',
  lists: (listed, handle) =>
    listed.some((k: { id: string; revoked_at: string | null }) => k.id === handle && k.revoked_at === null),
  removeCall: (_tenant, handle) => ({ method: 'POST', path: `/v1/api-keys/${handle}/revoke` }),
  refusedSecret: 'bad',
  hasProjects: false,
  rootIsStoredKey: true,
  realPaths: ['/v1/api-keys'],
  isSuccess: (res) => {
    const body = json(res);
    return (
      (res.statusCode === 200 || res.statusCode === 201) &&
      (Array.isArray(body) || (isRecord(body) && typeof body.id === 'string'))
    );
  },
  isError: fastApiErrorAnswer,
  redirectsTrailingSlash: true,
  headAsGet: false,
  unroutedMethodStatus: 405,
  bodiless406: false,
  expectUnavailable: (body) => expect(body).toEqual({ detail: 'Service Unavailable' }),
};
