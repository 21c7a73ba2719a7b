// Behind a real load balancer: Debian's nginx in front of two instances, with the configuration
// docs/scale-out.md's "Run several instances" section shows (read from there, its ports replaced), runs every
// vendor's lifecycle while nginx alternates calls between the instances.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { freePort } from '../../scripts/postgres-cluster.js';
import { VENDOR_NAMES } from '../reliability/support.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { ROOT } from '../support/process.js';
import { adminCall, call, LIFECYCLES, newTenant, startInstances, works, type Instance } from './support.js';
import { childrenOf, startTime, stillRunning, testTempDir, trackProcess } from '../support/test-run.js';

const NGINX = '/usr/sbin/nginx';
const haveNginx = existsSync(NGINX);
if (!haveNginx && process.env.KEYFORGE_TEST_REQUIRED === '1')
  throw new Error(`${NGINX} is missing (apt-get install -y nginx)`);

/** docs/scale-out.md's nginx block, pointed at these instances and this port. */
function documentedConfig(upstreams: number[], listen: number): string {
  const page = readFileSync(join(ROOT, 'docs', 'scale-out.md'), 'utf8');
  const block = /## Run several instances[\s\S]*?```nginx\n([\s\S]*?)```/.exec(page)?.[1];
  if (!block) throw new Error('docs/scale-out.md has no nginx block under "## Run several instances"');
  let i = 0;
  return block
    .replace(/server 127\.0\.0\.1:\d+;/g, () => `server 127.0.0.1:${upstreams[i++]};`)
    .replace(/listen 127\.0\.0\.1:\d+;/, `listen 127.0.0.1:${listen};`);
}

(haveNginx ? describeWithPostgres : describeWithPostgres.skip)('two instances behind nginx', () => {
  let instances: Instance[];
  let nginx: ChildProcess;
  let exited: Promise<void>;
  let workers: Array<{ pid: number; started: string | undefined }> = [];
  let base: string;
  let dir: string;

  beforeAll(async () => {
    instances = await startInstances(await freshDatabase(), ['a', 'b']);
    dir = testTempDir('keyforge-nginx-');
    chmodSync(dir, 0o777); // the worker (nobody, when started as root) writes its temp files here
    const port = await freePort();
    const http = documentedConfig(
      instances.map((i) => Number(new URL(i.url).port)),
      port,
    );
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `${t}_temp_path ${join(dir, t)};`)
      .join(' ');
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1;\ndaemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;\n${userInfo().uid === 0 ? 'user root;\n' : ''}` +
        `events { worker_connections 256; }\nhttp {\naccess_log off;\n${temp}\n${http}\n}\n`,
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    exited = new Promise((resolve) => nginx.once('exit', () => resolve()));
    base = `http://127.0.0.1:${port}`;
    const health = () =>
      fetch(`${base}/_keyforge/health`).then(
        (r) => r.status,
        () => 0,
      );
    await vi.waitFor(
      async () => {
        if ((await health()) !== 200)
          throw new Error(`nginx does not answer yet: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      },
      { timeout: 10_000, interval: 100 },
    );
    workers = childrenOf(nginx.pid!).map((pid) => ({ pid, started: startTime(pid) }));
    trackProcess(nginx.pid, 'nginx');
  }, 60_000);
  // SIGQUIT is nginx's graceful stop: the master waits for its workers to exit, then exits. A
  // SIGKILLed master leaves its worker behind, still listening.
  afterAll(async () => {
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      nginx.kill('SIGQUIT');
      await exited;
    }
    await vi.waitFor(() => expect(workers.filter(stillRunning)).toEqual([]));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(VENDOR_NAMES)(
    '%s: create, use, list, delete and refuse, alternating between the instances',
    async (vendor) => {
      const lifecycle = LIFECYCLES[vendor];
      const tenant = await newTenant(base, vendor);
      const created = await lifecycle.create(base, tenant, 'via-nginx');
      expect(created.status, created.text).toBeLessThan(300);
      for (let i = 0; i < 3; i++) expect(works(await lifecycle.use(base, tenant, created.key!))).toBe(true);
      expect(lifecycle.lists(await lifecycle.list(base, tenant), created.key!)).toBe(true);
      expect((await lifecycle.remove(base, tenant, created.key!)).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await lifecycle.use(base, tenant, created.key!)).status).toBe(401);
      expect(lifecycle.lists(await lifecycle.list(base, tenant), created.key!)).toBe(false);

      // Both instances served this vendor's calls, as the journal (read through nginx) says.
      const { requests } = (await adminCall(base, 'GET', `/_keyforge/requests?vendor=${vendor}`)).body as {
        requests: Array<{ instance: string }>;
      };
      expect(new Set(requests.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
    },
  );

  it('answers health through nginx from either instance', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => call(base, 'GET', '/_keyforge/health')));
    expect(answers.map((a) => a.body.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
});
