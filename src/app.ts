// buildApp(config): everything testable. Opens the database, wires the key service, mounts
// the admin API and every vendor dialect (at its real paths and under /<vendor>), then
// stores the demo and seed credentials. The process concerns live in server.ts.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultTable } from './admin/faults.js';
import { adminRoutes } from './admin/index.js';
import { Journal } from './admin/journal.js';
import { ResetGate } from './admin/reset-gate.js';
import { applyDemo, applySeed, readSeedFile, type SeedFile, type TenantCredential } from './bootstrap/credentials.js';
import { enrolAnyCredential } from './bootstrap/any-auth.js';
import { demoEnabled, type Config } from './config.js';
import { answerExpectations } from './http/expectations.js';
import { BUILT_CONSOLE } from './console/assets.js';
import { consoleRoutes } from './console/index.js';
import type { KeyStore } from './db/repository.js';
import { openStorage, type Storage } from './db/storage.js';
import { apiDocsPlugin } from './docs/index.js';
import { prepareHashingThreads, SecretHasher } from './keys/hashing.js';
import { loadKnownHashes } from './keys/known-hashes.js';
import { KeyService, type Clock, type Principal } from './keys/service.js';
import { Settings } from './keys/settings.js';
import { TenantDirectory } from './keys/tenants.js';
import { lazyChildLoggerFactory } from './plugins/lazy-logger.js';
import { requestLogController } from './plugins/request-log.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { zodSerializerCompiler } from './plugins/serializer.js';
import { UnroutedRequests } from './plugins/unrouted.js';
import { routeEveryMethod } from './vendors/common/methods.js';
import { starletteSafeUrl } from './vendors/common/starlette-router.js';
import { zodValidatorCompiler } from './vendors/common/validation.js';
import type { KeyforgeServices, VendorDialect } from './vendors/dialect.js';
import { DIALECTS, dialectNamed, SECRET_HEADERS } from './vendors/index.js';

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
  /** Wipes all state (or one vendor's) and re-applies demo and seed credentials, atomically. */
  reset(vendor?: string): Promise<void>;
}

export interface BuildOptions {
  /** Injected time, for expiry tests. */
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

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  const seed = config.seed === undefined ? options.seed : readSeedFile(config.seed);
  const instance = config.instance ?? `${hostname()}-${process.pid}`;
  await prepareHashingThreads();
  const storage = await openStorage({ db: config.db, poolSize: config.dbPool, journalSize: config.journalSize, instance });
  const keys = new KeyService(storage.keys, new SecretHasher(config.hashProfile, loadKnownHashes()), clock, storage.events);
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
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: SECRET_HEADERS.map((h) => `req.headers["${h}"]`), censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Two log lines per request drown a CI log; they are there at debug level and below, as debug lines.
    logController: requestLogController(config.logLevel),
    bodyLimit: config.bodyLimit,
    frameworkErrors: unrouted.frameworkError,
    // uvicorn's vendors take any percent-escape as Python's unquote does; Fastify's router would refuse some.
    rewriteUrl: (request) => {
      const url = request.url ?? '/';
      return url.includes('%') && unrouted.owner(url)?.server === 'uvicorn' ? starletteSafeUrl(url) : url;
    },
    childLoggerFactory: lazyChildLoggerFactory,
  });
  unrouted.install(app);
  answerExpectations(app.server, (url) => unrouted.owner(url));
  // FastAPI, Spring and reitit answer any method on a path they serve (common/methods.ts).
  routeEveryMethod(app);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);

  const journal = new Journal(storage.journal, config.journalSize, instance, (vendor) => dialectNamed(vendor)?.keyFormat);
  const faults = new FaultTable(storage.faults, options.random);
  const gate = new ResetGate();
  // Demo and seed credentials are fixed secrets, so re-applying them after a reset is idempotent.
  const seedOn = async (store: KeyStore, dialects: readonly VendorDialect[]) => {
    const bound = servicesOn(store);
    const demo = demoEnabled(config) ? await applyDemo(bound, dialects) : [];
    if (seed) await applySeed(bound, dialects, seed);
    return demo;
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
    reset: (vendor) =>
      gate.exclusive(async () => {
        await storage.reseed({ vendor }, (store) => seedOn(store, DIALECTS.filter((d) => vendor === undefined || d.name === vendor)));
      }),
  };
  app.decorate('keys', keys);
  app.decorate('tenants', services.tenants);
  app.decorate('settings', services.settings);
  app.decorate('clock', clock);
  app.decorate('keyforge', state);
  app.decorateRequest('principal', null);
  // Once closing, answer in-flight calls with `Connection: close`: Fastify reaps idle
  // keep-alive sockets only when close starts, and a socket that was busy then would keep the
  // process alive until the client's keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    await keys.flushUse().catch((err: Error) => app.log.warn({ err }, 'last uses could not be written'));
    await storage.close();
  });

  // Order matters: the journal sees every call, then the reset gate, then faults — all ahead
  // of the vendors' own auth and validation hooks.
  journal.install(app);
  gate.install(app);
  faults.install(app);
  await registerRateLimit(app, config.rateLimit, storage.rateLimits);

  // Before any route, so its per-document onRoute hooks see them all.
  await app.register(apiDocsPlugin);
  await app.register(adminRoutes, { adminToken: state.adminToken, services, health: () => storage.health(), controls: { journal, faults, reset: state.reset, heartbeatMs: options.streamHeartbeatMs ?? 15_000 } });
  await app.register(consoleRoutes, { dir: BUILT_CONSOLE });
  for (const dialect of DIALECTS) {
    await app.register(async (scope) => mountDialect(scope, dialect, unrouted));
    await app.register(
      async (scope) => {
        await mountDialect(scope, dialect, unrouted);
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

/** Registers a dialect's routes, tagging each with its vendor for the journal, faults and docs. */
async function mountDialect(scope: FastifyInstance, dialect: VendorDialect, unrouted: UnroutedRequests): Promise<void> {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, vendor: dialect.name };
    unrouted.noteRoute(route, dialect, scope.prefix);
  });
  await scope.register(dialect.routes);
}
