// What the key service hands out: key rows without their hash, the principal a verified
// credential names, and the clock every expiry and timestamp reads.
import type { KeyRow, TenantRow } from '../db/key-store.js';

export type Clock = () => Date;
export type KeyRecord = Omit<KeyRow, 'hash' | 'uniqueName'>;

/** Who a verified credential belongs to. */
export interface Principal {
  id: string;
  key: KeyRecord;
  tenant: TenantRow;
}

export function withoutHash(row: KeyRow): KeyRecord {
  const { hash: _hash, uniqueName: _uniqueName, ...record } = row;
  return record;
}

/** A key is live until it is revoked or its expiry passes. */
export function isLive(key: Pick<KeyRecord, 'revokedAt' | 'expiresAt'>, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}
