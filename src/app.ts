// buildApp(config): everything testable. Opens the database, wires the key service, mounts
// the admin API and every vendor dialect (at its real paths and under /<vendor>), then
// stores the demo and seed credentials. The process concerns live in server.ts; the bare
// Fastify instance in fastify-instance.ts; the types the app shares in app-types.ts.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { FaultTable } from './pipeline/faults.js';
import { adminRoutes } from './admin/index.js';
import type { BuildOptions, KeyforgeState } from './app-types.js';
import { Journal } from './pipeline/journal.js';
import { ResetGate } from './pipeline/reset-gate.js';
import { applyDemo, applySeed, parseSeed, readSeedFile } from './bootstrap/credentials.js';
import { enrolAnyCredential } from './bootstrap/any-auth.js';
import { demoEnabled, type Config } from './config.js';
import { BUILT_CONSOLE } from './console/assets.js';
import { consoleRoutes } from './console/index.js';
import type { KeyStore } from './db/key-store.js';
import { openStorage } from './db/open.js';
import { apiDocsPlugin } from './docs/index.js';
import { createFastify } from './fastify-instance.js';
import { EmulatedClock } from './keys/clock.js';
import { prepareHashingThreads, SecretHasher } from './keys/hashing.js';
import { loadKnownHashes } from './keys/known-hashes.js';
import { KeyService } from './keys/service.js';
import { Settings } from './keys/settings.js';
import { TenantDirectory } from './keys/tenants.js';
import { UnroutedRequests } from './pipeline/unrouted.js';
import { installPipeline } from './pipeline/index.js';
import { TenantFaults } from './pipeline/tenant-faults.js';
import type { KeyforgeServices, VendorDialect } from './vendors/dialect.js';
import { DIALECTS, dialectNamed } from './vendors/index.js';

export type { BuildOptions, KeyforgeState } from './app-types.js';

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Seed data given inline gets the checks a seed file gets (a SeedError, one line).
  const seed =
    config.seed !== undefined
      ? readSeedFile(config.seed)
      : options.seed === undefined
        ? undefined
        : parseSeed(options.seed);
  const instance = config.instance ?? `${hostname()}-${process.pid}`;
  await prepareHashingThreads();
  const storage = await openStorage({
    db: config.db,
    poolSize: config.dbPool,
    journalSize: config.journalSize,
    instance,
  });
  // Everything that reads time reads the test clock: real time plus the offset tests move.
  const emulated = new EmulatedClock(options.clock ?? (() => new Date()), storage.clock);
  const clock = emulated.now;
  const keys = new KeyService(
    storage.keys,
    new SecretHasher(config.hashProfile, loadKnownHashes()),
    clock,
    storage.events,
  );
  /** The services on a store: the app's own, or a transaction's (demo and seed bootstrap). */
  const servicesOn = (store: KeyStore): KeyforgeServices => ({
    keys: store === storage.keys ? keys : keys.on(store),
    tenants: new TenantDirectory(store, clock),
    settings: new Settings(store),
    clock,
  });
  const services = servicesOn(storage.keys);
  if (config.auth === 'any') keys.enrolUnknownCredentials(enrolAnyCredential(services, DIALECTS));

  const unrouted = new UnroutedRequests(DIALECTS);
  const app = createFastify(config, unrouted, options.logStream);

  const journal = new Journal(
    storage.journal,
    config.journalSize,
    instance,
    (vendor) => dialectNamed(vendor)?.keyFormat,
    () => (storage.clock.current() === 0 ? null : clock().getTime()),
  );
  const faults = new FaultTable(storage.faults, options.random);
  const tenantFaults = new TenantFaults(faults);
  const gate = new ResetGate();
  storage.events.guard(gate); // another instance's reset holds this one's vendor calls too
  // Demo and seed credentials are fixed secrets, so re-applying them after a reset is idempotent.
  const seedOn = async (store: KeyStore, dialects: readonly VendorDialect[]) => {
    const bound = servicesOn(store);
    const demo = demoEnabled(config) ? await applyDemo(bound, dialects) : [];
    if (seed) await applySeed(bound, dialects, seed);
    return demo;
  };
  /** A tenant's own demo and seed credentials, re-applied after a tenant reset. */
  const seedTenantOn = async (store: KeyStore, vendor: string, name: string) => {
    const dialects = DIALECTS.filter((d) => d.name === vendor);
    const bound = servicesOn(store);
    if (demoEnabled(config) && dialects[0]?.demo.tenant === name) await applyDemo(bound, dialects);
    if (seed)
      await applySeed(bound, dialects, {
        tenants: seed.tenants.filter((t) => t.vendor === vendor && t.tenant === name),
      });
  };
  const state: KeyforgeState = {
    config,
    instance,
    adminToken: config.adminToken ?? randomBytes(24).toString('base64url'),
    services,
    demo: [],
    journal,
    faults,
    storage,
    clock: emulated,
    reset: (vendor) =>
      gate.exclusive(async () => {
        await storage.reseed({ vendor }, (store) =>
          seedOn(
            store,
            DIALECTS.filter((d) => vendor === undefined || d.name === vendor),
          ),
        );
      }),
    // Not behind the reset gate: other tenants' calls never wait for one tenant's wipe, which is
    // one transaction; that tenant's own calls racing it see the state before or after it.
    resetTenant: (vendor, tenant) =>
      storage.wipeTenant({ vendor, name: tenant, remove: false }, (store) => seedTenantOn(store, vendor, tenant)),
    deleteTenant: (vendor, tenant) => storage.wipeTenant({ vendor, name: tenant, remove: true }, async () => undefined),
  };
  app.decorate('keys', keys);
  app.decorate('tenants', services.tenants);
  app.decorate('settings', services.settings);
  app.decorate('clock', clock);
  app.decorate('keyforge', state);
  app.decorateRequest('principal', null);
  app.addHook('onClose', async () => {
    await keys.flushUse().catch((err: Error) => app.log.warn({ err }, 'last uses could not be written'));
    await storage.close();
  });

  await installPipeline(app, {
    journal,
    gate,
    faults,
    unrouted,
    rateLimit: { perMinute: config.rateLimit, counter: storage.rateLimits },
    clock: emulated,
  });

  // Before any route, so its per-document onRoute hooks see them all.
  await app.register(apiDocsPlugin);
  await app.register(adminRoutes, {
    adminToken: state.adminToken,
    services,
    health: () => storage.health(),
    controls: {
      journal,
      faults,
      reset: state.reset,
      resetTenant: state.resetTenant,
      deleteTenant: state.deleteTenant,
      clock: emulated,
      heartbeatMs: options.streamHeartbeatMs ?? 15_000,
    },
  });
  await app.register(consoleRoutes, { dir: BUILT_CONSOLE });
  for (const dialect of DIALECTS) {
    await app.register(async (scope) => mountDialect(scope, dialect, unrouted, tenantFaults));
    await app.register(
      async (scope) => {
        await mountDialect(scope, dialect, unrouted, tenantFaults);
        scope.setNotFoundHandler(dialect.notFound);
      },
      { prefix: `/${dialect.name}` },
    );
  }

  try {
    state.demo = await storage.reseed(null, (store) => seedOn(store, DIALECTS));
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

/** Registers a dialect's routes, tagging each with its vendor for the journal, faults and docs; each checks tenant faults after its auth. */
async function mountDialect(
  scope: FastifyInstance,
  dialect: VendorDialect,
  unrouted: UnroutedRequests,
  tenantFaults: TenantFaults,
): Promise<void> {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, vendor: dialect.name };
    unrouted.noteRoute(route, dialect, scope.prefix);
    tenantFaults.attach(route);
  });
  await scope.register(dialect.routes);
}
