// Per-database values that must outlive the process, e.g. Basic's JWT signing secret.
import type { KeyStore } from '../db/store.js';

export class Settings {
  constructor(private readonly store: KeyStore) {}

  /** The stored value, or `create()` stored first (atomically) when there is none. */
  getOrCreate(key: string, create: () => string): string {
    return this.store.transaction(() => {
      const existing = this.store.getSetting(key);
      if (existing !== undefined) return existing;
      const value = create();
      this.store.setSetting(key, value);
      return value;
    });
  }
}
