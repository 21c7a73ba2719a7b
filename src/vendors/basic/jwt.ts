// Basic's user tokens: HS256 JWTs signed with a secret kept per database (settings), so a
// token survives restarts of the same database and means nothing to any other. A token names
// its account (tenant) by name and id, so a token from before a reset stops working.
import { hash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { TenantRow } from '../../db/key-store.js';
import type { Settings } from '../../keys/settings.js';

const SECRET_SETTING = 'basic.jwt-secret';
export const JWT_ISSUER = 'https://keyforge.local/basic';
export const JWT_AUDIENCE = 'basic-admin-api';
/** Long enough for a day of local work or a CI run; expiry is still enforced. */
export const JWT_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export interface UserClaims {
  /** The user: an email address, also in `email`. */
  sub: string;
  email: string;
  /** The tenant's name and id. */
  account: string;
  account_id: string;
}

// The stored secret never changes for a database (every instance on it reads the same one), so
// each Settings (one per app) caches it.
const keyCache = new WeakMap<Settings, Promise<Uint8Array>>();

function signingKey(settings: Settings): Promise<Uint8Array> {
  let key = keyCache.get(settings);
  if (!key) {
    key = settings
      .getOrCreate(SECRET_SETTING, () => randomBytes(32).toString('base64url'))
      .then((secret) => new Uint8Array(Buffer.from(secret, 'base64url')));
    key.catch(() => keyCache.delete(settings)); // a database that did not answer is asked again next time
    keyCache.set(settings, key);
  }
  return key;
}

/** The account administrator's email address we put in tokens. */
export function userEmail(tenant: TenantRow): string {
  return `admin@${tenant.name}.keyforge.local`;
}

export async function signUserToken(settings: Settings, now: Date, tenant: TenantRow): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const email = userEmail(tenant);
  return new SignJWT({ email, account: tenant.name, account_id: tenant.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(email)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + JWT_LIFETIME_SECONDS)
    .sign(await signingKey(settings));
}

/**
 * Tokens whose signature and claims were verified, by a SHA-256 of the token (the token itself,
 * a bearer credential, is not kept). jose checks an HS256 signature through WebCrypto, which
 * queues on the threadpool behind argon2 hashes; a token is immutable and its key never changes
 * for a database, so one check per token is enough. Expiry is still checked on every use, and
 * the caller still checks that the token's account exists.
 */
const verifiedTokens = new WeakMap<Settings, Map<string, UserClaims & { expiresAt: number }>>();
const MAX_VERIFIED_TOKENS = 10_000;

/** The claims of a token this database signed and that is still current, or null. */
export async function verifyUserToken(settings: Settings, now: Date, token: string): Promise<UserClaims | null> {
  let verified = verifiedTokens.get(settings);
  if (!verified) verifiedTokens.set(settings, (verified = new Map()));
  const digest = hash('sha256', token, 'base64');
  const known = verified.get(digest);
  if (known) {
    if (known.expiresAt <= now.getTime()) return null;
    const { expiresAt: _expiresAt, ...claims } = known;
    return claims;
  }
  const checked = await checkUserToken(settings, now, token);
  if (!checked) return null;
  if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
  verified.set(digest, checked);
  const { expiresAt: _expiresAt, ...claims } = checked;
  return claims;
}

async function checkUserToken(
  settings: Settings,
  now: Date,
  token: string,
): Promise<(UserClaims & { expiresAt: number }) | null> {
  const key = await signingKey(settings);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'iat', 'exp', 'account', 'account_id'],
    });
    const { sub, email, account, account_id, exp } = payload;
    if (
      typeof sub !== 'string' ||
      typeof account !== 'string' ||
      typeof account_id !== 'string' ||
      typeof exp !== 'number'
    )
      return null;
    return { sub, email: typeof email === 'string' ? email : sub, account, account_id, expiresAt: exp * 1000 };
  } catch {
    // Every JOSE failure (bad signature, expired, malformed, wrong claims) is "not a valid token".
    return null;
  }
}

/** A JWT is three dot-separated base64url parts; Basic's API keys contain no dot. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
