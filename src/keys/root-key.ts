// A tenant's root credential is an ordinary stored key: a fixed secret when one is given (demo
// credentials, seed files: idempotent), otherwise a fresh one (the admin API).
import type { IssueInput, KeyService } from './service.js';

/** Stores the root key and answers its secret. */
export async function storeRootKey(keys: KeyService, input: IssueInput, secret?: string): Promise<string> {
  if (secret === undefined) return (await keys.issue({ ...input, root: true })).secret;
  await keys.ensureFixed(input, secret);
  return secret;
}
