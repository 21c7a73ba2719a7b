// Baseten authenticates with `Authorization: Api-Key <key>` (Bearer accepted too). Keys are
// `<8 base62>.<32 base62>`; the part before the dot is the prefix that names the key.
import type { FastifyRequest } from 'fastify';
import { Forbidden, InvalidCredential } from '../../keys/errors.js';
import { dottedFormat } from '../../keys/formats.js';
import type { Principal } from '../../keys/service.js';
import { credentialFromAuthorization } from '../../http/auth-header.js';
import { KEY_MANAGING_TYPES, type ApiKeyType } from './schemas.js';

export const BASETEN_KEY_FORMAT = dottedFormat(8, 32);

export async function authenticate(request: FastifyRequest): Promise<Principal> {
  const secret = credentialFromAuthorization(request.headers.authorization, ['Api-Key', 'Bearer']);
  if (secret === null) throw new InvalidCredential('Authentication credentials were not provided.');
  const principal = await request.server.keys.verify('baseten', secret, BASETEN_KEY_FORMAT);
  if (!principal) throw new InvalidCredential('Invalid API key.');
  return principal;
}

export function assertMayManageKeys(principal: Principal): void {
  if (!KEY_MANAGING_TYPES.includes(principal.key.kind as ApiKeyType)) {
    throw new Forbidden('You do not have permission to perform this action.');
  }
}
