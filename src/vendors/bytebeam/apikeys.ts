// Bytebeam's API keys as its clients see them: a role, a name that identifies the key within
// its tenant (delete is by name, so names are unique among live keys: the store enforces it,
// across instances too), and who created it. The tenant's root credentials (admin API, demo,
// seed) stand for a console user's session: they have no name, so they are neither listed nor
// deletable here.
import { DuplicateKey } from '../../db/errors.js';
import { NotFound } from '../../keys/errors.js';
import type { KeyRecord, KeyService, Principal } from '../../keys/service.js';
import { BYTEBEAM_KEY_FORMAT, creatorName } from './auth.js';
import { DuplicateName } from './errors.js';
import type { CreateApiKeyRequest } from './schemas.js';
import { Uuid, type AnswerMap } from './wire.js';

export async function createKey(
  keys: KeyService,
  principal: Principal,
  { role, name }: CreateApiKeyRequest,
): Promise<AnswerMap> {
  const tenantId = principal.tenant.id;
  // Checked first so a taken name costs no argon2 work; the unique index settles races.
  if (await findByName(keys, tenantId, name)) throw new DuplicateName(name);
  const createdBy = creatorName(principal);
  try {
    const { secret } = await keys.issue({
      vendor: 'bytebeam',
      tenantId,
      name,
      kind: role,
      createdBy,
      format: BYTEBEAM_KEY_FORMAT,
      uniqueName: true,
    });
    return { role, name, key: new Uuid(secret), 'created-by': createdBy };
  } catch (err) {
    if (err instanceof DuplicateKey && err.field === 'uniqueName') throw new DuplicateName(name);
    throw err;
  }
}

export async function listKeys(keys: KeyService, tenantId: string): Promise<AnswerMap[]> {
  return (await keys.list({ tenantId })).filter((key) => key.name !== null).map(entry);
}

/** Deletes the tenant's key of that name (it stops authenticating at once) and answers it. */
export async function deleteKey(keys: KeyService, tenantId: string, name: string): Promise<AnswerMap> {
  // Only the caller's tenant is searched: another tenant's key is as absent as a missing one.
  const key = await findByName(keys, tenantId, name);
  if (!key) throw new NotFound();
  await keys.remove(key.id);
  return entry(key);
}

async function findByName(keys: KeyService, tenantId: string, name: string): Promise<KeyRecord | undefined> {
  return (await keys.list({ tenantId, name }))[0];
}

const entry = (key: KeyRecord): AnswerMap => ({ role: key.kind, name: key.name!, 'created-by': key.createdBy });
