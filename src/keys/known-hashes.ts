// argon2id hashes of fixed, public secrets (the demo credentials), computed once by the build
// (scripts/bundle.ts writes dist/known-hashes.json) so that a new database's first start spends
// no argon2 work on them: five owasp hashes were most of keyforge's start-up time. Entries are
// keyed by hash profile and a SHA-256 of the secret; a secret without an entry is hashed as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import argon2 from 'argon2';
import { packagePath } from '../paths.js';
import { argon2Options, HASH_PROFILES, knownHashKey, type HashProfileName } from './hashing.js';

export const KNOWN_HASHES_FILE = packagePath('dist', 'known-hashes.json');

/** knownHashKey(profile, secret) → PHC string. */
export type KnownHashes = Map<string, string>;

/** The build's known hashes; none when the file is missing or unreadable (only `tsc` ran). */
export function loadKnownHashes(file = KNOWN_HASHES_FILE): KnownHashes {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>));
  } catch {
    return new Map();
  }
}

/** Hashes each secret under every profile and writes the file loadKnownHashes reads. */
export async function writeKnownHashes(secrets: readonly string[], file = KNOWN_HASHES_FILE): Promise<void> {
  const entries: Array<[string, string]> = [];
  for (const profile of Object.keys(HASH_PROFILES) as HashProfileName[]) {
    for (const secret of secrets) {
      entries.push([knownHashKey(profile, secret), await argon2.hash(secret, argon2Options(profile))]);
    }
  }
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
}
