// The process entry (run by dist/start.cjs as a bundle, or directly): parse config, build the app, listen,
// print the banner, and close gracefully on SIGINT/SIGTERM. Everything else is in buildApp.
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { banner } from './banner.js';
import { ConfigError, HELP, parseConfig, type Config } from './config.js';

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

  const app = await buildApp(config).catch((err: Error) => fail(err.message, 1));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    await app.close();
    fail(code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use` : (err as Error).message, 1);
  }
  const { port } = app.server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(banner(`http://${host}:${port}`, config, app.keyforge.adminToken, app.keyforge.demo));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (err: Error) => fail(`error while closing: ${err.message}`, 1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function fail(message: string, code: number): never {
  process.stderr.write(`keyforge: ${message}\n`);
  process.exit(code);
}

// No top-level await: the bundle `npm start` runs (dist/keyforge.bundle.cjs) is CommonJS.
main().catch((err: Error) => fail(err.stack ?? err.message, 1));
