// Fixed secrets (demo credentials) are hashed by the build, not at start-up; fixed secrets
// hashed at run time are remembered, since every reset stores them again.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { knownHashKey, SecretHasher } from '../../src/keys/hashing.js';
import { loadKnownHashes, writeKnownHashes } from '../../src/keys/known-hashes.js';
import { testTempDir } from '../support/test-run.js';

const dir = testTempDir('keyforge-known-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEMO = 'kfdemo01.BasetenDemoKey000000000000000000';

describe('known hashes', () => {
  it('are written per profile, keyed without the clear secret, and verify against it', async () => {
    const file = join(dir, 'known.json');
    await writeKnownHashes([DEMO], file);
    const known = loadKnownHashes(file);
    expect([...known.keys()].sort()).toEqual([knownHashKey('fast', DEMO), knownHashKey('owasp', DEMO)].sort());
    expect([...known.keys()].join()).not.toContain(DEMO);
    expect(known.get(knownHashKey('owasp', DEMO))).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2.verify(known.get(knownHashKey('fast', DEMO))!, DEMO)).toBe(true);
  });

  it('spare the hasher its argon2 work for a known fixed secret', async () => {
    const file = join(dir, 'spare.json');
    await writeKnownHashes([DEMO], file);
    const hasher = new SecretHasher('fast', loadKnownHashes(file));
    const phc = await hasher.hashFixed(DEMO);
    expect(hasher.counts.hashes).toBe(0);
    expect(await hasher.verify(phc, DEMO)).toBe(true);
  });

  it('are remembered for other fixed secrets once hashed, and never used for issued ones', async () => {
    const hasher = new SecretHasher('fast');
    const first = await hasher.hashFixed('seed-secret-1');
    expect(await hasher.hashFixed('seed-secret-1')).toBe(first);
    expect(hasher.counts.hashes).toBe(1);
    // An issued secret always gets a fresh salt.
    expect(await hasher.hash('seed-secret-1')).not.toBe(first);
    expect(hasher.counts.hashes).toBe(2);
  });

  it('are simply absent when the build did not write them', () => {
    expect(loadKnownHashes(join(dir, 'missing.json')).size).toBe(0);
  });
});
