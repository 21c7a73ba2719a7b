// compose.yaml as a user brings it up: PostgreSQL, two keyforge containers and nginx in front on a
// host port; every vendor's lifecycle through nginx, with calls served by both instances.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../scripts/postgres-cluster.js';
import { ADMIN_TOKEN, adminCall, LIFECYCLES, newTenant, works } from '../cluster/support.js';
import { VENDOR_NAMES } from '../reliability/support.js';
import { ROOT } from '../support/process.js';
import { buildImage, describeWithDocker } from './support.js';

/** `docker compose` (v2) where the plugin is installed, else Debian's docker-compose (v1). */
function composeCommand(): string[] {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return ['docker', 'compose'];
  } catch {
    return ['docker-compose'];
  }
}

describeWithDocker('compose.yaml', { timeout: 120_000 }, () => {
  const project = `keyforge-test-${randomBytes(3).toString('hex')}`;
  let compose: (...args: string[]) => string;
  let base: string;

  beforeAll(async () => {
    await buildImage(); // what `up` would build; cached when the image test ran first
    const port = await freePort();
    const [command, ...prefix] = composeCommand();
    const env = {
      ...process.env,
      KEYFORGE_ADMIN_TOKEN: ADMIN_TOKEN,
      KEYFORGE_PORT: String(port),
      KEYFORGE_HASH_PROFILE: 'fast',
    };
    compose = (...args) =>
      execFileSync(command!, [...prefix, '-p', project, ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 300_000,
      });
    compose('up', '-d');
    base = `http://127.0.0.1:${port}`;
    // nginx starts once both instances are healthy (depends_on); its health answer is theirs.
    const deadline = Date.now() + 120_000;
    while (
      (await fetch(`${base}/_keyforge/health`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > deadline)
        throw new Error(`compose.yaml did not answer through nginx:\n${compose('logs', '--no-color')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 10 * 60_000);

  afterAll(() => {
    compose?.('down', '-v', '--remove-orphans', '-t', '10');
  }, 120_000);

  it.each(VENDOR_NAMES)(
    '%s: create, use, list, delete and refuse through nginx, served by both instances',
    async (vendor) => {
      const lifecycle = LIFECYCLES[vendor];
      const tenant = await newTenant(base, vendor);
      const created = await lifecycle.create(base, tenant, 'via-compose');
      expect(created.status, created.text).toBeLessThan(300);
      for (let i = 0; i < 3; i++) expect(works(await lifecycle.use(base, tenant, created.key!))).toBe(true);
      expect(lifecycle.lists(await lifecycle.list(base, tenant), created.key!)).toBe(true);
      expect((await lifecycle.remove(base, tenant, created.key!)).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await lifecycle.use(base, tenant, created.key!)).status).toBe(401);

      // The journal names each instance by its hostname and pid (compose.yaml sets the hostnames).
      const { requests } = (await adminCall(base, 'GET', `/_keyforge/requests?vendor=${vendor}`)).body as {
        requests: Array<{ instance: string }>;
      };
      expect(new Set(requests.map((r) => r.instance))).toEqual(new Set(['keyforge-a-1', 'keyforge-b-1']));
    },
  );
});
