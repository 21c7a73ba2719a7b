// The programmatic API: start keyforge inside a test process (vitest/jest global setup).
// Defaults suit tests: any free port, an in-memory database and the fast hash profile.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { JournalEntry } from './pipeline/journal.js';
import type { SeedFile, TenantCredential } from './bootstrap/credentials.js';
import { configSchema, type ConfigInput } from './config.js';
import type { VendorName } from './vendors/dialect.js';

export type { JournalEntry, SeedFile, TenantCredential, VendorName };
export { buildApp } from './app.js';

export interface StartOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** SQLite file; default `:memory:`. */
  db?: string;
  hashProfile?: 'owasp' | 'fast';
  /** A seed file path, or the seed data itself. */
  seed?: string | SeedFile;
  auth?: 'strict' | 'any';
  adminToken?: string;
  demo?: boolean;
  logLevel?: ConfigInput['logLevel'];
}

/** The test clock as its calls answer: the emulated time (ISO-8601) and its offset from real time. */
export interface ClockView {
  now: string;
  offsetMs: number;
}

/** What a tenant reset or delete removed. */
export interface RemovedState {
  keys: number;
  /** Basic and Peaka projects; only a delete removes them. */
  projects: number;
  journalEntries: number;
  faults: number;
}

/** The test clock: every expiry, timestamp and rate-limit window reads it. */
export interface TestClock {
  /** Its time and offset. */
  get(): Promise<ClockView>;
  /** Moves it by an ISO-8601 duration (`'PT2H'`, `'P30D'`); time runs on from there. */
  advance(duration: string): Promise<ClockView>;
  /** Sets it to a date (a Date or an ISO-8601 date-time with a time zone). */
  set(date: Date | string): Promise<ClockView>;
  /** Back to real time. */
  reset(): Promise<ClockView>;
}

/** A created tenant: its root credential and the ready request, with an absolute URL. */
export type CreatedTenant = TenantCredential & { request: TenantCredential['request'] & { url: string } };

export interface RunningKeyforge {
  /** Base URL, e.g. `http://127.0.0.1:43817`; vendor paths go straight after it. */
  url: string;
  adminToken: string;
  /** The Fastify app, for `inject()` or anything the API below lacks. */
  app: FastifyInstance;
  createTenant(vendor: VendorName, tenant?: string): Promise<CreatedTenant>;
  /** Wipes everything (the clock returns to real time) or one vendor's state, then re-applies demo and seed credentials. */
  reset(vendor?: VendorName): Promise<void>;
  /**
   * Removes the keys the tenant's credentials issued, its journal entries and faults; keeps the
   * tenant and its root credentials. Rejects when there is no such tenant.
   */
  resetTenant(vendor: VendorName, tenant: string): Promise<RemovedState>;
  /** Removes the tenant with its projects, root credentials, keys, journal entries and faults. Rejects when there is no such tenant. */
  deleteTenant(vendor: VendorName, tenant: string): Promise<RemovedState>;
  clock: TestClock;
  /** The request journal, newest first (every instance's calls when they share a database). */
  requests(filter?: { vendor?: VendorName; limit?: number }): Promise<JournalEntry[]>;
  close(): Promise<void>;
}

export async function startKeyforge(options: StartOptions = {}): Promise<RunningKeyforge> {
  const { seed, ...settings } = options;
  const config = configSchema.parse({
    port: 0,
    db: ':memory:',
    hashProfile: 'fast',
    logLevel: 'warn',
    ...settings,
    ...(typeof seed === 'string' ? { seed } : {}),
  });
  const app = await buildApp(config, typeof seed === 'object' ? { seed } : {});
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const { adminToken } = app.keyforge;
  /** An admin call through inject(), so the answer is exactly what a client over HTTP gets. */
  const admin = async <T>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, payload?: object): Promise<T> => {
    const res = await app.inject({ method, url: path, headers: { authorization: `Bearer ${adminToken}`, host: new URL(url).host }, ...(payload ? { payload } : {}) });
    if (res.statusCode !== 200) throw new Error(`${method} ${path} failed: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const tenantPath = (vendor: string, tenant: string) => `${encodeURIComponent(vendor)}/${encodeURIComponent(tenant)}`;
  return {
    url,
    adminToken,
    app,
    async createTenant(vendor, tenant) {
      const res = await app.inject({
        method: 'POST',
        url: '/_keyforge/tenants',
        headers: { authorization: `Bearer ${adminToken}`, host: new URL(url).host },
        payload: tenant === undefined ? { vendor } : { vendor, tenant },
      });
      if (res.statusCode !== 201) throw new Error(`createTenant failed: ${res.statusCode} ${res.body}`);
      return res.json<CreatedTenant>();
    },
    reset: (vendor) => app.keyforge.reset(vendor),
    resetTenant: async (vendor, tenant) =>
      (await admin<{ removed: RemovedState }>('POST', `/_keyforge/reset?vendor=${encodeURIComponent(vendor)}&tenant=${encodeURIComponent(tenant)}`)).removed,
    deleteTenant: async (vendor, tenant) => (await admin<{ removed: RemovedState }>('DELETE', `/_keyforge/tenants/${tenantPath(vendor, tenant)}`)).removed,
    clock: {
      get: () => admin('GET', '/_keyforge/clock'),
      advance: (duration) => admin('PUT', '/_keyforge/clock', { advance: duration }),
      set: (date) => admin('PUT', '/_keyforge/clock', { at: typeof date === 'string' ? date : date.toISOString() }),
      reset: () => admin('DELETE', '/_keyforge/clock'),
    },
    requests: (filter = {}) => app.keyforge.journal.list(filter),
    close: () => app.close(),
  };
}
