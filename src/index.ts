// The programmatic API: start keyforge inside a test process (vitest/jest global setup).
// Defaults suit tests: any free port, an in-memory database and the fast hash profile.
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { configSchema } from './config.js';
import type { CreatedTenant, RunningKeyforge, StartOptions } from './public-types.js';

// Only public-types.ts reaches dist/index.d.ts, so the package's types import nothing internal.
export type { CreatedTenant, ExampleRequest, JournalEntry, RunningKeyforge, SeedFile, StartOptions, TenantCredential, VendorName } from './public-types.js';

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
