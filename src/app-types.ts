// The types buildApp (app.ts) shares with the rest of keyforge: what it decorates Fastify's
// instances and requests with (the module augmentation below), KeyforgeState, and the
// BuildOptions tests and the programmatic API pass. Apart so app.ts holds only the wiring.
import type { SeedFile, TenantCredential } from './bootstrap/credentials.js';
import type { Config } from './config.js';
import type { Storage, TenantWipe } from './db/open.js';
import type { EmulatedClock } from './keys/clock.js';
import type { Clock, KeyService, Principal } from './keys/service.js';
import type { Settings } from './keys/settings.js';
import type { TenantDirectory } from './keys/tenants.js';
import type { FaultTable } from './pipeline/faults.js';
import type { Journal } from './pipeline/journal.js';
import type { KeyforgeServices } from './vendors/dialect.js';

declare module 'fastify' {
  interface FastifyInstance {
    keys: KeyService;
    tenants: TenantDirectory;
    settings: Settings;
    clock: Clock;
    keyforge: KeyforgeState;
  }
  interface FastifyRequest {
    /** Set by a vendor's auth hook once the credential is verified. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The dialect a route belongs to (set when it is mounted). */
    vendor?: string;
  }
}

/** What the app knows about itself that server.ts, the programmatic API and tests need. */
export interface KeyforgeState {
  config: Config;
  /** This instance's name (journal entries say which instance served a call). */
  instance: string;
  adminToken: string;
  services: KeyforgeServices;
  /** The demo tenants' credentials and requests, when demo is on. */
  demo: TenantCredential[];
  journal: Journal;
  faults: FaultTable;
  storage: Storage;
  /** The test clock (its `now` is the app's `clock`). */
  clock: EmulatedClock;
  /** Wipes all state (or one vendor's) and re-applies demo and seed credentials, atomically; a global reset also returns the clock to real time. */
  reset(vendor?: string): Promise<void>;
  /**
   * One tenant: removes the keys its credentials issued, its journal entries and faults, keeping
   * it and its live root credentials (a demo or seed tenant's come back as configured). Null when
   * there is no such tenant.
   */
  resetTenant(vendor: string, tenant: string): Promise<TenantWipe | null>;
  /** Removes the tenant, its projects, root credentials and keys, journal entries and faults; null when there is none. */
  deleteTenant(vendor: string, tenant: string): Promise<TenantWipe | null>;
}

export interface BuildOptions {
  /** Injected real time, for tests (the test clock's offset is added to it). */
  clock?: Clock;
  /** Where log lines go (tests capture them); default stdout. */
  logStream?: NodeJS.WritableStream;
  /** Seed data given directly (programmatic use) instead of a --seed file. */
  seed?: SeedFile;
  /** Injected randomness for fault probabilities. */
  random?: () => number;
  /** How often an idle /_keyforge/requests/stream gets a heartbeat comment (default 15 s; tests shorten it). */
  streamHeartbeatMs?: number;
}
