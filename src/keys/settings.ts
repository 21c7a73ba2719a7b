// Per-database values that must outlive the process, e.g. Basic's JWT signing secret.
import type { KeyStore } from '../db/key-store.js';

export class Settings {
  constructor(private readonly store: KeyStore) {}

  /** The stored value, or `create()` stored first (atomically, across instances) when there is none. */
  getOrCreate(key: string, create: () => string): Promise<string> {
    return this.store.ensureSetting(key, create());
  }
}
