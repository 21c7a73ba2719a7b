// Storage errors callers can act on, the same whichever engine raised them.
import { ExpectedError, StatusError } from '../expected-error.js';

/** The database could not be opened or migrated at start: bad path or URL, unreachable, not a database. */
export class DatabaseOpenError extends Error {}

/** The database stopped answering while serving. Vendors answer 503 in their own shape. */
export class StorageUnavailable extends StatusError {
  override readonly refusal = 'unavailable';
  constructor(readonly reason: string) {
    super(503, 'the database is unavailable');
  }
}

/** A unique value of a key is taken: its lookup id, or its name where names are unique. */
export class DuplicateKey extends ExpectedError {
  constructor(readonly field: 'lookupId' | 'uniqueName') {
    super(`duplicate ${field}`);
  }
}

/** A key's tenant or project was deleted (a reset) between the caller's check and the insert. */
export class OwnerGone extends ExpectedError {
  constructor() {
    super('the tenant or project no longer exists');
  }
}
