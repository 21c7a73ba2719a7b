// A throwaway PostgreSQL server for tests, the bench and CI: initdb into a temporary directory
// (as the `postgres` user when run as root: PostgreSQL refuses root), trust authentication on
// 127.0.0.1 only, a free port, no password prompts. The server runs until stopped.
//
//   tsx scripts/postgres-cluster.ts start   prints `export KEYFORGE_TEST_PG=…` and `export KEYFORGE_TEST_PG_DIR=…`
//   tsx scripts/postgres-cluster.ts stop DIR
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Cluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  dir: string;
  port: number;
  /** The running server's postmaster (from its postmaster.pid). */
  pid(): number;
  stop(): void;
  /** Stops the server, keeping its data (a restart test starts it again). */
  halt(mode?: 'fast' | 'immediate'): void;
  start(): void;
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin), or null. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0]!, 'bin') : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = () => userInfo().uid === 0;

/** Runs a PostgreSQL binary as an unprivileged user. */
function pgRun(bin: string, tool: string, args: string[]): void {
  const command = asRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const result = spawnSync(command[0] as string, command[1] as string[], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
}

/** Starts a server whose files live in a new directory under `parent`. */
export async function startCluster(parent = tmpdir()): Promise<Cluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  const dir = mkdtempSync(join(parent, 'keyforge-pg-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  pgRun(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // Small and quick: a test server, not a production one (fsync stays on: crash tests rely on it).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB`;
  const start = () =>
    pgRun(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const halt = (mode: 'fast' | 'immediate' = 'fast') => pgRun(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    port,
    start,
    halt,
    stop: () => stopCluster(dir),
  };
}

/** Stops the server in `dir` (if running) and deletes its files. */
export function stopCluster(dir: string): void {
  const bin = postgresBinaries();
  const data = join(dir, 'data');
  if (bin && existsSync(join(data, 'postmaster.pid'))) {
    try {
      pgRun(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const cluster = await startCluster();
    process.stdout.write(`export KEYFORGE_TEST_PG=${cluster.url}\nexport KEYFORGE_TEST_PG_DIR=${cluster.dir}\n`);
  } else if (command === 'stop' && dir) {
    stopCluster(dir);
  } else {
    process.stderr.write('usage: tsx scripts/postgres-cluster.ts start | stop DIR\n');
    process.exit(2);
  }
}
