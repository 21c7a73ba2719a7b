import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyStore } from '../../src/db/key-store.js';
import { openStorage, type Storage } from '../../src/db/open.js';
import { dottedFormat } from '../../src/keys/formats.js';
import { SecretHasher } from '../../src/keys/hashing.js';
import { KeyService } from '../../src/keys/service.js';
import { TenantDirectory } from '../../src/keys/tenants.js';
import { ENGINES } from '../support/postgres.js';

const format = dottedFormat(8, 32);

describe.each(ENGINES)('KeyService on $engine', ({ database }) => {
  let storage: Storage;
  let store: KeyStore;
  let hasher: SecretHasher;
  let keys: KeyService;
  let now: Date;
  let tenantId: string;

  beforeEach(async () => {
    storage = await openStorage({ db: await database(), poolSize: 4, journalSize: 100, instance: 'test' });
    store = storage.keys;
    hasher = new SecretHasher('fast');
    now = new Date('2026-01-01T00:00:00Z');
    keys = new KeyService(store, hasher, () => now, storage.events);
    tenantId = (await new TenantDirectory(store, () => now).ensure('baseten', 'acme')).id;
  });
  afterEach(() => storage.close());

  const issue = (extra: Partial<Parameters<KeyService['issue']>[0]> = {}) =>
    keys.issue({ vendor: 'baseten', tenantId, name: 'ci', kind: 'PERSONAL', createdBy: 'test', format, ...extra });

  it('issues a secret in the format and stores only its lookup id and an argon2id hash', async () => {
    const { key, secret } = await issue();
    expect(format.lookupId(secret)).toBe(key.lookupId);
    const row = (await store.findKeyById(key.id)) as unknown as Record<string, unknown>;
    expect(row.hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.split('.')[1]);
    expect(key).not.toHaveProperty('hash');
  });

  it('never issues the same secret twice', async () => {
    const secrets = await Promise.all(Array.from({ length: 50 }, () => issue().then((k) => k.secret)));
    expect(new Set(secrets).size).toBe(50);
  });

  it('verifies an issued secret and rejects a wrong one with the same lookup id', async () => {
    const { key, secret } = await issue();
    expect((await keys.verify('baseten', secret, format))?.key.id).toBe(key.id);
    const forged = `${key.lookupId}.${'A'.repeat(32)}`;
    expect(await keys.verify('baseten', forged, format)).toBeNull();
  });

  it('spends no argon2 work on an unknown lookup id or a malformed secret', async () => {
    await issue();
    const before = { ...hasher.counts };
    expect(await keys.verify('baseten', `zzzzzzzz.${'A'.repeat(32)}`, format)).toBeNull();
    expect(await keys.verify('baseten', 'not-a-key', format)).toBeNull();
    expect(hasher.counts).toEqual(before);
  });

  it('answers repeated verifications from the cache, and concurrent first uses share one argon2 call', async () => {
    const { secret } = await issue();
    const before = hasher.counts.verifies;
    await Promise.all(Array.from({ length: 10 }, () => keys.verify('baseten', secret, format)));
    await keys.verify('baseten', secret, format);
    expect(hasher.counts.verifies - before).toBe(1);
  });

  it('does not accept a key of one vendor at another', async () => {
    const { secret } = await issue();
    expect(await keys.verify('peaka', secret, format)).toBeNull();
  });

  it('stops verifying a revoked key at once, even when it was cached', async () => {
    const { key, secret } = await issue();
    expect(await keys.verify('baseten', secret, format)).not.toBeNull();
    expect((await keys.revoke(key.id))?.revokedAt).toEqual(now);
    expect(await keys.verify('baseten', secret, format)).toBeNull();
    expect((await keys.list({ tenantId })).map((k) => k.id)).not.toContain(key.id);
    expect((await keys.list({ tenantId, includeRevoked: true })).map((k) => k.id)).toContain(key.id);
  });

  it('stops verifying a deleted key, which stays behind as revoked so its lookup id stays dead', async () => {
    const { key, secret } = await issue();
    await keys.verify('baseten', secret, format);
    await keys.remove(key.id);
    expect(await keys.verify('baseten', secret, format)).toBeNull();
    expect((await keys.get(key.id))?.revokedAt).toEqual(now);
    expect((await keys.list({ tenantId })).map((k) => k.id)).not.toContain(key.id);
  });

  it('stops verifying a key once the clock passes its expiry', async () => {
    const { secret } = await issue({ expiresAt: new Date('2026-01-01T00:10:00Z') });
    expect(await keys.verify('baseten', secret, format)).not.toBeNull();
    now = new Date('2026-01-01T00:10:00Z');
    expect(await keys.verify('baseten', secret, format)).toBeNull();
  });

  it('stores a fixed credential once and re-applies it without argon2 work', async () => {
    const secret = `fixed001.${'F'.repeat(32)}`;
    const first = await keys.ensureFixed(
      { vendor: 'baseten', tenantId, name: 'root', kind: 'PERSONAL', createdBy: 'seed', format },
      secret,
    );
    const hashes = hasher.counts.hashes;
    const again = await keys.ensureFixed(
      { vendor: 'baseten', tenantId, name: 'root', kind: 'PERSONAL', createdBy: 'seed', format },
      secret,
    );
    expect(again.id).toBe(first.id);
    expect(hasher.counts.hashes).toBe(hashes);
    expect((await keys.verify('baseten', secret, format))?.key.id).toBe(first.id);
  });

  it('records last use in batches that land on flush', async () => {
    const { key } = await issue();
    keys.noteUse(key.id);
    expect((await store.findKeyById(key.id))?.lastUsedAt).toBeNull();
    expect(keys.lastUse(key)).toEqual(now);
    await keys.flushUse();
    expect((await store.findKeyById(key.id))?.lastUsedAt).toEqual(now);
  });
});
