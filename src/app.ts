// buildApp(config): everything testable. Opens the database, wires the key service, mounts
// the admin API and every vendor dialect (at its real paths and under /<vendor>), then
// stores the demo and seed credentials. The process concerns live in server.ts.
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { adminRoutes } from './admin/index.js';
import { applyDemo, applySeed, readSeedFile, type TenantCredential } from './bootstrap/credentials.js';
import { demoEnabled, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { createSqliteStore } from './db/store.js';
import { SecretHasher } from './keys/hashing.js';
import { KeyService, type Clock, type Principal } from './keys/service.js';
import { Settings } from './keys/settings.js';
import { TenantDirectory } from './keys/tenants.js';
import { zodValidatorCompiler } from './vendors/common/validation.js';
import type { KeyforgeServices } from './vendors/dialect.js';
import { DIALECTS } from './vendors/index.js';

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
}

/** What the app knows about itself that server.ts and tests need. */
export interface KeyforgeState {
  config: Config;
  adminToken: string;
  services: KeyforgeServices;
  /** The demo tenants' credentials and requests, when demo is on. */
  demo: TenantCredential[];
}

export interface BuildOptions {
  /** Injected time, for expiry tests. */
  clock?: Clock;
  /** Where log lines go (tests capture them); default stdout. */
  logStream?: NodeJS.WritableStream;
}

const REDACTED_HEADERS = ['authorization', 'x-bytebeam-api-key', 'x-api-key', 'cookie'];

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => new Date());
  const database = openDatabase(config.db);
  const store = createSqliteStore(database.db);
  const keys = new KeyService(store, new SecretHasher(config.hashProfile), clock);
  const services: KeyforgeServices = { keys, tenants: new TenantDirectory(store, clock), settings: new Settings(store), clock };

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_HEADERS.map((h) => `req.headers["${h}"]`), censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Two log lines per request drown a CI log; they are there at debug level and below.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
    bodyLimit: config.bodyLimit,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const adminToken = config.adminToken ?? randomBytes(24).toString('base64url');
  app.decorate('keys', keys);
  app.decorate('tenants', services.tenants);
  app.decorate('settings', services.settings);
  app.decorate('clock', clock);
  app.decorate('keyforge', { config, adminToken, services, demo: [] } satisfies KeyforgeState);
  app.decorateRequest('principal', null);
  app.addHook('onClose', async () => {
    keys.flushUse();
    database.close();
  });

  await app.register(adminRoutes, { adminToken, services });
  for (const dialect of DIALECTS) {
    await app.register(dialect.routes);
    await app.register(
      async (scope) => {
        await scope.register(dialect.routes);
        scope.setNotFoundHandler(dialect.notFound);
      },
      { prefix: `/${dialect.name}` },
    );
  }
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'Not Found', message: `no keyforge route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  try {
    if (demoEnabled(config)) app.keyforge.demo = await applyDemo(services, DIALECTS);
    if (config.seed !== undefined) await applySeed(services, DIALECTS, readSeedFile(config.seed));
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
