// Imtegrate authenticates with `Authorization: Bearer <token>`. Tokens are
// `imt_<env>_<8 base62>_<32 base62>`; `imt_<env>_<8 base62>` is the key's prefix and lookup id.
// Checks run as FastAPI dependencies do: after the body is decoded, before it is validated.
import type { FastifyRequest } from 'fastify';
import { Forbidden, InvalidCredential } from '../../keys/errors.js';
import { underscoredFormat, type KeyFormat } from '../../keys/formats.js';
import type { Principal } from '../../keys/service.js';
import { credentialFromAuthorization } from '../../http/auth-header.js';
import type { Env } from './schemas.js';

export const KEY_FORMATS: Readonly<Record<Env, KeyFormat>> = {
  test: underscoredFormat('imt_test', 8, 32),
  live: underscoredFormat('imt_live', 8, 32),
};

/** The env a token names by its prefix (`imt_live_…`), else test. */
export function envOf(token: string): Env {
  return token.startsWith('imt_live_') ? 'live' : 'test';
}

/** Both envs' tokens: each is read by the format its own prefix names. */
export const IMTEGRATE_KEY_FORMAT: KeyFormat = {
  generate: () => KEY_FORMATS.test.generate(),
  lookupId: (token) => KEY_FORMATS[envOf(token)].lookupId(token),
  pattern: new RegExp(`${KEY_FORMATS.test.pattern.source}|${KEY_FORMATS.live.pattern.source}`, 'g'),
};

export const WORDING = {
  unauthenticated: 'Not authenticated',
  unauthorized: 'Invalid token',
  forbidden: 'Insufficient scope',
};

export async function authenticate(request: FastifyRequest): Promise<Principal> {
  const token = credentialFromAuthorization(request.headers.authorization, ['Bearer']);
  if (token === null) throw new InvalidCredential(WORDING.unauthenticated);
  const principal = await request.server.keys.verify('imtegrate', token, IMTEGRATE_KEY_FORMAT);
  if (!principal) throw new InvalidCredential(WORDING.unauthorized);
  return principal;
}

/**
 * A preValidation hook: authenticates (the key service counts the use, for `last_used_at`) and
 * requires one of `allowed` among the key's scopes.
 */
export function requireScope(allowed: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = await authenticate(request);
    request.principal = principal;
    if (!allowed.some((scope) => principal.key.scopes?.includes(scope))) throw new Forbidden(WORDING.forbidden);
  };
}
