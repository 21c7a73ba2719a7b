// Baseten (FastAPI): workspace keys under /v1/api_keys, named by their prefix; `{detail}` errors.
import { expect } from 'vitest';
import type { DialectTestDescription } from './description.js';
import { fastApiErrorAnswer, isRecord, json } from './shapes.js';

export const description: DialectTestDescription<'baseten'> = {
  vendor: 'baseten',
  uniqueCreateBody: (body) => ({ ...body }),
  lifecycleCreateFields: (unique) => ({ type: 'PERSONAL', name: `k-${unique}` }),
  issuedSecret: (created) => created.api_key,
  handleOf: (created) => created.api_key.split('.')[0],
  secretTail: (secret) => secret.slice(-32),
  credentialHeaders: (_tenant, secret) => ({ authorization: `Api-Key ${secret}` }),
  keysPath: () => '/v1/api_keys',
  lists: (listed, handle) => listed.keys.some((k: { prefix: string }) => k.prefix === handle),
  removeCall: (_tenant, handle) => ({ method: 'DELETE', path: `/v1/api_keys/${handle}` }),
  refusedSecret: 'bad',
  hasProjects: false,
  rootIsStoredKey: true,
  realPaths: ['/v1/api_keys'],
  isSuccess: (res) => {
    const body = json(res);
    return res.statusCode === 200 && isRecord(body) && ('api_key' in body || 'keys' in body || 'prefix' in body);
  },
  isError: fastApiErrorAnswer,
  redirectsTrailingSlash: true,
  headAsGet: false,
  unroutedMethodStatus: 405,
  bodiless406: false,
  expectUnavailable: (body) => expect(body).toEqual({ detail: 'Service Unavailable' }),
};
