// Bytebeam's API keys as its clients see them: a role, a name that identifies the key within
// its tenant (delete is by name, so names are unique), and who created it. The tenant's root
// credentials (admin API, demo, seed) stand for a console user's session: they have no name,
// so they are neither listed nor deletable here.
import { NotFound } from '../../keys/errors.js';
import type { KeyRecord, KeyService, Principal } from '../../keys/service.js';
import { BYTEBEAM_KEY_FORMAT, creatorName } from './auth.js';
import { DuplicateName } from './errors.js';
import type { CreateApiKeyRequest } from './schemas.js';
import { Uuid, type AnswerMap } from './wire.js';

/**
 * Names being created right now, per app (keyed by its key service, so two apps in one
 * process never share it): two concurrent creates of one name must not both succeed.
 */
const creating = new WeakMap<KeyService, Set<string>>();

export async function createKey(keys: KeyService, principal: Principal, { role, name }: CreateApiKeyRequest): Promise<AnswerMap> {
  const tenantId = principal.tenant.id;
  const slot = `${tenantId}\0${name}`;
  let pending = creating.get(keys);
  if (!pending) creating.set(keys, (pending = new Set()));
  if (pending.has(slot) || findByName(keys, tenantId, name)) throw new DuplicateName(name);
  pending.add(slot);
  try {
    const createdBy = creatorName(principal);
    const { secret } = await keys.issue({ vendor: 'bytebeam', tenantId, name, kind: role, createdBy, format: BYTEBEAM_KEY_FORMAT });
    return { role, name, key: new Uuid(secret), 'created-by': createdBy };
  } finally {
    pending.delete(slot);
  }
}

export function listKeys(keys: KeyService, tenantId: string): AnswerMap[] {
  return keys
    .list({ tenantId })
    .filter((key) => key.name !== null)
    .map(entry);
}

/** Deletes the tenant's key of that name (it stops authenticating at once) and answers it. */
export function deleteKey(keys: KeyService, tenantId: string, name: string): AnswerMap {
  // Only the caller's tenant is searched: another tenant's key is as absent as a missing one.
  const key = findByName(keys, tenantId, name);
  if (!key) throw new NotFound();
  keys.remove(key.id);
  return entry(key);
}

function findByName(keys: KeyService, tenantId: string, name: string): KeyRecord | undefined {
  return keys.list({ tenantId, name })[0];
}

const entry = (key: KeyRecord): AnswerMap => ({ role: key.kind, name: key.name!, 'created-by': key.createdBy });
