// What `npm start` runs: dist/start.cjs loads the one-file bundle (scripts/bundle.ts).
// `npm install` and `npm run build` produce it, and test/build-setup.ts rebuilds it when a source
// is newer; these tests run the built files, so a bundling mistake (a path that moved, a package
// that cannot be bundled) fails here.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from './support/process.js';
import { testTempDir } from './support/test-run.js';

const dir = testTempDir('keyforge-start-');
// Node ≥ 22.1 keeps its compile cache here instead of the shared os.tmpdir()/node-compile-cache.
const compileCache = { NODE_COMPILE_CACHE: join(dir, 'compile-cache') };
let server: RunningServer;

beforeAll(async () => {
  for (const built of ['dist/start.cjs', 'dist/keyforge.bundle.cjs', 'dist/known-hashes.json']) {
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run \`npm run build\` (npm install does)`);
  }
  // Default flags (owasp profile, demo credentials) on a new database, as `npm start` would.
  server = await startServer(['--port', '0', '--db', join(dir, 'start.db'), '--log-level', 'warn'], compileCache, [
    'dist/start.cjs',
  ]);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built server (dist/start.cjs)', () => {
  it('applies the migrations and reports the package version', async () => {
    const health = await fetch(`${server.url}/_keyforge/health`);
    expect(health.status).toBe(200);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await health.json()).toMatchObject({ status: 'ok', version });
  });

  it('creates a key with a demo credential whose hash came from the build, and the key works', async () => {
    const headers = {
      Authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000',
      'Content-Type': 'application/json',
    };
    const created = await fetch(`${server.url}/v1/api_keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'PERSONAL', name: 'from-bundle' }),
    });
    expect(created.status).toBe(200);
    const { api_key: secret } = (await created.json()) as { api_key: string };
    const listed = await fetch(`${server.url}/v1/api_keys`, { headers: { Authorization: `Api-Key ${secret}` } });
    expect(listed.status).toBe(200);
  });

  it('runs argon2 on threadpool threads of lower priority than the event loop (Linux)', () => {
    const pid = server.child.pid!;
    const niceness = readdirSync(`/proc/${pid}/task`).map((tid) =>
      Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]),
    );
    const threadpool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    expect(niceness.filter((n) => n === 10)).toHaveLength(threadpool);
    expect(Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16])).toBe(0); // the main thread
  });

  it('ships no code cache, and leaves one to Node where it keeps its own (22.1 and later)', async () => {
    // A V8 code cache fits only the Node build that wrote it (20.19.0 crashed on one 20.20.2 made).
    expect(existsSync(join(ROOT, 'dist/keyforge.bundle.cache'))).toBe(false);
    const short = await startServer(
      ['--port', '0', '--db', ':memory:', '--hash-profile', 'fast', '--log-level', 'warn'],
      compileCache,
      ['dist/start.cjs'],
    );
    expect(await short.stop()).toBe(0);
    const written = existsSync(compileCache.NODE_COMPILE_CACHE)
      ? readdirSync(compileCache.NODE_COMPILE_CACHE, { recursive: true })
      : [];
    if ('enableCompileCache' in Module) expect(written.length).toBeGreaterThan(0);
    else expect(written).toEqual([]);
  });

  it('serves Swagger UI and its static files from the installed package', async () => {
    const page = await fetch(`${server.url}/docs/static/index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    // Bodies are read to the end: an unread one keeps its connection busy, and stop() waits for it.
    for (const file of ['swagger-ui-bundle.js', 'logo.svg']) {
      const response = await fetch(`${server.url}/docs/static/${file}`);
      expect(response.status, file).toBe(200);
      expect((await response.arrayBuffer()).byteLength, file).toBeGreaterThan(0);
    }
  });

  it('serves the console that the build wrote to dist/ui/', async () => {
    const page = await fetch(`${server.url}/_keyforge/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/_keyforge/ui/console.js');
    const script = await fetch(`${server.url}/_keyforge/ui/console.js`);
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});
