// Bytebeam (reitit): keys named by their name in a tenant, a UUID secret in its own header, and
// answers in JSON, EDN or transit as negotiated.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { decodeBody, MEDIA_TYPES, type MediaType } from '../../src/vendors/bytebeam/codecs.js';
import type { DialectTestDescription } from './description.js';
import { frameworkOptionsAnswer, isRecord, keysAre } from './shapes.js';

/** The answer's body in whichever of Bytebeam's encodings it is, or undefined. */
function decoded(res: LightMyRequestResponse): unknown {
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (!(MEDIA_TYPES as readonly string[]).includes(type)) return undefined;
  try {
    return decodeBody(type as MediaType, res.rawPayload);
  } catch {
    return undefined;
  }
}

function isError(res: LightMyRequestResponse): boolean {
  // reitit-ring's default 405: no body, no Content-Type.
  if (res.statusCode === 405) return res.body === '' && res.headers['content-type'] === undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/plain')) return res.statusCode === 400 && /^Malformed "[^"]+" request\.$/.test(res.body);
  const body = decoded(res);
  if (keysAre(body, ['error'])) return typeof (body as { error: unknown }).error === 'string';
  return res.statusCode === 400 && keysAre(body, ['type', 'coercion', 'in', 'humanized']);
}

export const description: DialectTestDescription<'bytebeam'> = {
  vendor: 'bytebeam',
  // Names identify keys in a tenant.
  uniqueCreateBody: (body, unique) => ({ ...body, name: `k-${unique}` }),
  lifecycleCreateFields: () => ({ role: 'admin' }),
  issuedSecret: (created) => created.key,
  handleOf: (created) => created.name,
  secretTail: (secret) => secret.slice(8),
  credentialHeaders: (tenant, secret) => ({ 'x-bytebeam-api-key': secret, 'x-bytebeam-tenant': tenant.tenant }),
  keysPath: () => '/api/v1/apikeys',
  lists: (listed, handle) => listed.some((k: { name: string }) => k.name === handle),
  removeCall: (_tenant, handle) => ({ method: 'DELETE', path: `/api/v1/apikeys/${encodeURIComponent(handle)}` }),
  refusedSecret: '00000000-0000-4000-8000-000000000000',
  hasProjects: false,
  rootIsStoredKey: true,
  realPaths: ['/api/v1/apikeys'],
  isSuccess: (res) => {
    if (frameworkOptionsAnswer(res)) return true;
    const body = decoded(res);
    return res.statusCode === 200 && (Array.isArray(body) || isRecord(body));
  },
  isError,
  redirectsTrailingSlash: false,
  headAsGet: false,
  unroutedMethodStatus: 405,
  bodiless406: false,
  expectUnavailable: (body) => expect(body).toEqual({ error: 'Service Unavailable' }),
};
