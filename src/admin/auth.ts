// The admin token guards /_keyforge/*. Compared in constant time (over digests, so the
// comparison does not even leak the token's length).
import { createHash, timingSafeEqual } from 'node:crypto';
import { credentialFromAuthorization } from '../http/auth-header.js';
import { ExpectedError } from '../expected-error.js';

export class AdminUnauthorized extends ExpectedError {
  readonly statusCode = 401;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function adminTokenChecker(token: string): (authorization: string | string[] | undefined) => void {
  const expected = digest(token);
  return (authorization) => {
    const given = credentialFromAuthorization(authorization, ['Bearer']);
    if (given === null) throw new AdminUnauthorized('missing admin token: send Authorization: Bearer <admin token>');
    if (!timingSafeEqual(digest(given), expected)) throw new AdminUnauthorized('invalid admin token');
  };
}
