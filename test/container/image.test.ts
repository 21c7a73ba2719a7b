// The image the Dockerfile builds, on a real Docker engine: what it is made of, every vendor's
// lifecycle, a restart on its volume, docker stop, a read-only run, the demo switch, and two
// containers on one PostgreSQL container.
import { beforeAll, expect, it } from 'vitest';
import { VENDOR_NAMES } from '../reliability/support.js';
import { ADMIN_TOKEN, LIFECYCLES, newTenant, works, type IssuedKey } from '../cluster/support.js';
import type { Tenant } from '../reliability/support.js';
import { buildImage, describeWithDocker, docker, IMAGE, labelled, logs, runKeyforge, stop } from './support.js';

const BASE_IMAGE = 'node:24-bookworm-slim';
/** What every keyforge container here gets: a known admin token and cheap hashes. */
const SETTINGS = ['-e', `KEYFORGE_ADMIN_TOKEN=${ADMIN_TOKEN}`, '-e', 'KEYFORGE_HASH_PROFILE=fast'];
const BASETEN_DEMO = 'Api-Key kfdemo01.BasetenDemoKey000000000000000000';

const demoCreate = (url: string) =>
  fetch(`${url}/v1/api_keys`, {
    method: 'POST',
    headers: { authorization: BASETEN_DEMO, 'content-type': 'application/json' },
    body: '{"type":"PERSONAL"}',
  });

// Generous bounds: a cold build compiles better-sqlite3; a container starts in about 2 s.
describeWithDocker('the container image', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    console.log(`docker build: ${(await buildImage()).toFixed(1)}s`);
  }, 20 * 60_000);

  it('runs as a non-root user on the official Node image, with a volume, port 4010, a health check, and under 120 MB of its own', async () => {
    const [image] = JSON.parse(await docker(['image', 'inspect', IMAGE])) as Array<{
      Size: number;
      Config: Record<string, unknown>;
    }>;
    const [base] = JSON.parse(await docker(['image', 'inspect', BASE_IMAGE])) as Array<{ Size: number }>;
    expect(image!.Config).toMatchObject({
      User: 'node',
      ExposedPorts: { '4010/tcp': {} },
      Volumes: { '/data': {} },
      Entrypoint: ['node', 'dist/start.cjs'],
    });
    expect(image!.Config.Healthcheck).toMatchObject({ Test: expect.arrayContaining(['CMD', 'node']) });
    const ownMb = (image!.Size - base!.Size) / 1e6;
    console.log(
      `image ${(image!.Size / 1e6).toFixed(0)} MB, keyforge's layers ${ownMb.toFixed(1)} MB above ${BASE_IMAGE}`,
    );
    expect(ownMb).toBeLessThan(120);
    expect(await docker(['run', '--rm', '--entrypoint', 'id', IMAGE, '-u'])).toBe('1000');
  });

  it("keeps every vendor's keys in its volume across a new container, and stops on docker stop with 0 within 3 s", async () => {
    const volume = await docker(['volume', 'create', ...labelled]);
    const first = await runKeyforge([...SETTINGS, '-v', `${volume}:/data`]);
    console.log(`container start to health: ${first.startToHealthMs.toFixed(0)} ms`);
    expect((await demoCreate(first.url)).status).toBe(401); // 0.0.0.0: no demo credentials
    const made: Array<{ vendor: (typeof VENDOR_NAMES)[number]; tenant: Tenant; key: IssuedKey }> = [];
    for (const vendor of VENDOR_NAMES) {
      const tenant = await newTenant(first.url, vendor);
      const created = await LIFECYCLES[vendor].create(first.url, tenant, `in-volume-${vendor}`);
      expect(created.status, created.text).toBeLessThan(300);
      made.push({ vendor, tenant, key: created.key! });
    }
    const stopped = await stop(first.id);
    console.log(`docker stop: ${stopped.seconds.toFixed(2)}s, exit ${stopped.exitCode}`);
    expect(stopped).toMatchObject({ exitCode: 0 });
    expect(stopped.seconds).toBeLessThan(3);
    await docker(['rm', first.id]);

    const second = await runKeyforge([...SETTINGS, '-v', `${volume}:/data`]);
    for (const { vendor, tenant, key } of made) {
      expect(works(await LIFECYCLES[vendor].use(second.url, tenant, key)), vendor).toBe(true);
      expect(LIFECYCLES[vendor].lists(await LIFECYCLES[vendor].list(second.url, tenant), key), vendor).toBe(true);
    }
    expect((await stop(second.id)).exitCode).toBe(0);
  });

  it('reports healthy through its own HEALTHCHECK', async () => {
    const container = await runKeyforge([...SETTINGS, '--health-interval', '1s']);
    const deadline = Date.now() + 30_000;
    const health = () => docker(['inspect', '-f', '{{.State.Health.Status}}', container.id]);
    while ((await health()) !== 'healthy' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await health()).toBe('healthy');
    await stop(container.id);
  });

  it('runs with a read-only root file system and /tmp on tmpfs; KEYFORGE_DEMO=1 turns the demo credentials on', async () => {
    const container = await runKeyforge([...SETTINGS, '--read-only', '--tmpfs', '/tmp', '-e', 'KEYFORGE_DEMO=1']);
    const created = await demoCreate(container.url);
    expect(created.status).toBe(200);
    const { api_key: secret } = (await created.json()) as { api_key: string };
    expect(
      (await fetch(`${container.url}/v1/api_keys`, { headers: { authorization: `Api-Key ${secret}` } })).status,
    ).toBe(200);
    expect(await logs(container.id)).not.toMatch(/EROFS|read-only file system/i);
    expect((await stop(container.id)).exitCode).toBe(0);
  });

  it('two containers on one PostgreSQL container: a key made through one works, and is revoked, through the other', async () => {
    const network = await docker(['network', 'create', ...labelled, `keyforge-test-${process.pid}`]);
    // Named: the engine's DNS answers for names given with --name.
    const dbName = `keyforge-test-db-${process.pid}`;
    const db = await docker([
      'run',
      '-d',
      ...labelled,
      '--name',
      dbName,
      '--network',
      network,
      '-e',
      'POSTGRES_USER=keyforge',
      '-e',
      'POSTGRES_PASSWORD=keyforge',
      'postgres:15-bookworm',
    ]);
    for (let tries = 0; ; tries++) {
      const ready = await docker(['exec', db, 'pg_isready', '-h', '127.0.0.1', '-U', 'keyforge']).then(
        () => true,
        () => false,
      );
      if (ready) break;
      if (tries > 150) throw new Error(`PostgreSQL did not start:\n${await logs(db)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const onPostgres = [
      ...SETTINGS,
      '--network',
      network,
      '-e',
      `KEYFORGE_DB=postgres://keyforge:keyforge@${dbName}:5432/keyforge`,
    ];
    const [a, b] = await Promise.all([runKeyforge(onPostgres), runKeyforge(onPostgres)]);
    for (const vendor of VENDOR_NAMES) {
      const lifecycle = LIFECYCLES[vendor];
      const tenant = await newTenant(a!.url, vendor);
      const created = await lifecycle.create(a!.url, tenant, `across-${vendor}`);
      expect(created.status, created.text).toBeLessThan(300);
      expect(works(await lifecycle.use(b!.url, tenant, created.key!)), vendor).toBe(true);
      expect((await lifecycle.remove(b!.url, tenant, created.key!)).status, vendor).toBe(200);
      expect((await lifecycle.use(a!.url, tenant, created.key!)).status, vendor).toBe(401);
    }
    expect((await Promise.all([stop(a!.id), stop(b!.id)])).map((s) => s.exitCode)).toEqual([0, 0]);
  });
});
