// The programmatic API: start keyforge inside a test process (vitest/jest global setup).
// Defaults suit tests: any free port, an in-memory database and the fast hash profile.
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { configSchema } from './config.js';
import type { CreatedTenant, RemovedState, RunningKeyforge, StartOptions } from './public-types.js';

// Only public-types.ts reaches dist/index.d.ts, so the package's types import nothing internal.
export type {
  ClockView,
  CreatedTenant,
  ExampleRequest,
  JournalEntry,
  RemovedState,
  RunningKeyforge,
  SeedFile,
  StartOptions,
  TenantCredential,
  TestClock,
  VendorName,
} from './public-types.js';

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
    const res = await app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${adminToken}`, host: new URL(url).host },
      ...(payload ? { payload } : {}),
    });
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
      (
        await admin<{ removed: RemovedState }>(
          'POST',
          `/_keyforge/reset?vendor=${encodeURIComponent(vendor)}&tenant=${encodeURIComponent(tenant)}`,
        )
      ).removed,
    deleteTenant: async (vendor, tenant) =>
      (await admin<{ removed: RemovedState }>('DELETE', `/_keyforge/tenants/${tenantPath(vendor, tenant)}`)).removed,
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
