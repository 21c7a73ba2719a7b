// Domain errors of the key service. They know no HTTP: each vendor plugin maps them to its
// own status codes and bodies.
import { ExpectedError } from '../expected-error.js';
export class KeyforgeError extends ExpectedError {
  override readonly name: string = this.constructor.name;
}

/** The credential is missing, malformed, unknown, revoked or expired. */
export class InvalidCredential extends KeyforgeError {
  override readonly refusal = 'authentication';
}

/** The credential is valid but may not do this. */
export class Forbidden extends KeyforgeError {
  override readonly refusal = 'permission';
}

/** No such key, project or tenant visible to the caller. */
export class NotFound extends KeyforgeError {
  override readonly refusal = 'not found';
}

/** A fixed secret (seed or demo) collides with a key of another tenant. */
export class Conflict extends KeyforgeError {
  override readonly refusal = 'conflict';
}
