// The process entry (run by dist/start.cjs as a bundle, or directly): parse config, build the app, listen,
// print the banner, and close gracefully on SIGINT/SIGTERM. Everything else is in buildApp.
// First, before any library is evaluated: no Object.prototype.__proto__ accessor in this process.
import './disable-proto.js';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { banner } from './banner.js';
import { SeedError } from './bootstrap/credentials.js';
import { ConfigError, HELP, parseConfig, type Config } from './config.js';
import { threadpoolSize } from './keys/hashing.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    const parsed = parseConfig(process.argv.slice(2), process.env);
    if (parsed.help) {
      process.stdout.write(HELP);
      return;
    }
    config = parsed.config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    fail(err.message, 2);
  }

  // A seed file is read and applied while the app is built: its problems are configuration errors.
  // libuv sizes its threadpool from the environment when the pool first runs, which is later.
  process.env.UV_THREADPOOL_SIZE ??= String(threadpoolSize());
  const app = await buildApp(config).catch((err: Error) =>
    err instanceof SeedError ? fail(`invalid --seed / KEYFORGE_SEED: ${err.message}`, 2) : fail(err.message, 1),
  );
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    const { message, status } = listenFailure(err as NodeJS.ErrnoException, config);
    fail(message, status);
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.debug({ signal }, 'closing: finishing in-flight requests'); // the banner is the info a person reads
    app.close().then(
      () => process.exit(0),
      (err: Error) => fail(`error while closing: ${err.message}`, 1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // After the handlers: whoever reads the banner may signal at once (a test, `docker stop`).
  const { port } = app.server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(banner(`http://${host}:${port}`, config, app.keyforge.adminToken, app.keyforge.demo));
}

/**
 * A host that names no address of this machine is a bad setting (2); a port in use, or one this
 * user may not bind, is the machine's state at run time (1).
 */
function listenFailure(err: NodeJS.ErrnoException, config: Config): { message: string; status: number } {
  if (err.code === 'EADDRINUSE')
    return { message: `port ${config.port} on ${config.host} is already in use`, status: 1 };
  if (err.code === 'EACCES') return { message: `port ${config.port} on ${config.host}: permission denied`, status: 1 };
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return {
      message: `invalid --host / HOST: ${config.host} is not an address of this machine (${err.code})`,
      status: 2,
    };
  }
  return { message: err.message, status: 1 };
}

function fail(message: string, code: number): never {
  process.stderr.write(`keyforge: ${message}\n`);
  process.exit(code);
}

// No top-level await: the bundle `npm start` runs (dist/keyforge.bundle.cjs) is CommonJS.
main().catch((err: Error) => fail(err.stack ?? err.message, 1));
