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

/** A created tenant: its root credential and the ready request, with an absolute URL. */
export type CreatedTenant = TenantCredential & { request: TenantCredential['request'] & { url: string } };

export interface RunningKeyforge {
  /** Base URL, e.g. `http://127.0.0.1:43817`; vendor paths go straight after it. */
  url: string;
  adminToken: string;
  /** The Fastify app, for `inject()` or anything the API below lacks. */
  app: FastifyInstance;
  createTenant(vendor: VendorName, tenant?: string): Promise<CreatedTenant>;
  reset(vendor?: VendorName): Promise<void>;
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
    requests: (filter = {}) => app.keyforge.journal.list(filter),
    close: () => app.close(),
  };
}
