// Docker for the container tests: whether an engine answers (a failure under
// KEYFORGE_TEST_REQUIRED=1, as in .ci/run; a visible skip otherwise), the image built from this
// checkout, containers reached on a free host port, and cleanup of everything a file created.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe } from 'vitest';
import { ROOT } from '../support/process.js';

const run = promisify(execFile);

/** The tag compose.yaml gives the image it builds; these tests build the same. */
export const IMAGE = 'keyforge:local';
/** Every container, network and volume a test file makes carries this label, so afterAll finds them. */
const LABEL = `keyforge-test=${process.pid}-${randomBytes(3).toString('hex')}`;
export const labelled = ['--label', LABEL];

function engineProblem(): string | undefined {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 20_000 });
    return undefined;
  } catch (err) {
    return (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] || (err as Error).message;
  }
}

const problem = engineProblem();
const hint = 'bash scripts/docker-standins.sh up starts one and builds the base images';
if (problem && process.env.KEYFORGE_TEST_REQUIRED === '1')
  throw new Error(`no Docker engine answers (${problem}): ${hint}`);
if (problem) console.warn(`container tests skipped: no Docker engine answers (${problem}); ${hint}`);
export const describeWithDocker = (problem ? describe.skip : describe) as typeof describe;

/** Runs the docker CLI in the checkout and answers its output; a failure says what docker said. */
export async function docker(args: string[], timeout = 120_000, env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run('docker', args, {
      cwd: ROOT,
      timeout,
      maxBuffer: 64 << 20,
      env: { ...process.env, ...env },
    });
    return stdout.trim();
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(
      `docker ${args.join(' ')} failed: ${(stderr || stdout || (err as Error).message).trim().split('\n').slice(-15).join('\n')}`,
      { cause: err },
    );
  }
}

/** Builds the Dockerfile (cached layers make a second build quick); answers the seconds it took. */
export async function buildImage(): Promise<number> {
  const started = performance.now();
  await docker(['build', '--network', 'host', '-q', '-t', IMAGE, '.'], 20 * 60_000);
  return (performance.now() - started) / 1000;
}

export interface Container {
  id: string;
  /** http://127.0.0.1:<host port> mapped to the container's 4010. */
  url: string;
}

/** Starts the image detached with `args` before it and keyforge's flags after; resolves once /_keyforge/health answers 200. */
export async function runKeyforge(
  dockerArgs: string[],
  flags: string[] = [],
): Promise<Container & { startToHealthMs: number }> {
  const started = performance.now();
  const id = await docker(['run', '-d', ...labelled, '-p', '127.0.0.1::4010', ...dockerArgs, IMAGE, ...flags]);
  const url = `http://${await docker(['port', id, '4010/tcp']).then((out) => out.split('\n')[0]!)}`;
  await waitForHealth(url, id);
  return { id, url, startToHealthMs: performance.now() - started };
}

export async function waitForHealth(url: string, id: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  // Bounded: before the container listens, Docker's port proxy may accept a connection and never answer it.
  const health = () =>
    fetch(`${url}/_keyforge/health`, { signal: AbortSignal.timeout(300) }).then(
      (r) => r.status,
      () => 0,
    );
  while ((await health()) !== 200) {
    if (Date.now() > deadline)
      throw new Error(`${id} did not answer health within ${seconds}s:\n${await docker(['logs', id]).catch(String)}`);
    if ((await docker(['inspect', '-f', '{{.State.Running}}', id])) !== 'true')
      throw new Error(`${id} exited:\n${await logs(id)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A container's output, stdout and stderr together. */
export async function logs(id: string): Promise<string> {
  const { stdout, stderr } = await run('docker', ['logs', id], { maxBuffer: 16 << 20 });
  return stdout + stderr;
}

/** `docker stop`: the seconds it took and the exit status keyforge gave. */
export async function stop(id: string): Promise<{ seconds: number; exitCode: number }> {
  const started = performance.now();
  await docker(['stop', '-t', '10', id], 30_000);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, exitCode: Number(await docker(['inspect', '-f', '{{.State.ExitCode}}', id])) };
}

afterAll(async () => {
  if (problem) return;
  const filter = ['--filter', `label=${LABEL}`];
  const containers = (await docker(['ps', '-aq', ...filter])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(['rm', '-fv', ...containers]);
  const networks = (await docker(['network', 'ls', '-q', ...filter])).split('\n').filter(Boolean);
  if (networks.length > 0) await docker(['network', 'rm', ...networks]);
  const volumes = (await docker(['volume', 'ls', '-q', ...filter])).split('\n').filter(Boolean);
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
}, 120_000);
