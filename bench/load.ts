// Generating load: autocannon against a URL (`load`), a fresh tenant's request from the admin
// API (`admin`), unique key names per create (`uniquelyNamed`), and the raw argon2id hashing
// baseline run in its own process (bench/argon2-baseline.ts).
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { threadpoolSize } from '../src/keys/hashing.js';
import { children, ROOT } from './processes.js';
import { ADMIN_TOKEN, CONNECTIONS, type Vendor } from './settings.js';

export interface RequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  unexpected: number;
  errors: number;
}

/** The body field that names a key; every create gets a unique name (Bytebeam requires it). */
const NAME_FIELD: Record<Vendor, string> = {
  basic: 'label',
  baseten: 'name',
  bytebeam: 'name',
  peaka: 'name',
  imtegrate: 'name',
};

const ID = '[<id>]';
const runId = Date.now().toString(36);
let sequence = 0;
const nextId = () => `${runId}-${(sequence++).toString(36)}`;

/**
 * Runs autocannon with 20 connections for `seconds`; `expect` is the status class that counts
 * (2xx for creates and lists, 4xx for rejections). A body containing `[<id>]` gets a unique id.
 */
export async function load(
  url: string,
  spec: RequestSpec,
  seconds: number,
  expect: '2xx' | '4xx',
  connections = CONNECTIONS,
): Promise<Load> {
  const body =
    spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
  const result = await autocannon({
    url: url + spec.path,
    method: spec.method as autocannon.Options['method'],
    headers: { ...spec.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
    // A body naming `[<id>]` gets a fresh unique id per request (autocannon's own idReplacement
    // miscounts Content-Length with its bundled hyperid, so the body is rebuilt here instead).
    ...(body?.includes(ID)
      ? { requests: [{ setupRequest: (request) => ({ ...request, body: body.replaceAll(ID, nextId()) }) }] }
      : {}),
    connections,
    duration: seconds,
    timeout: 30,
  });
  const ok = result[expect];
  const all = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    unexpected: all - ok,
    errors: result.errors + result.timeouts,
  };
}

/** Creates a tenant of `vendor` through the admin API and returns its example create request. */
export async function admin(url: string, vendor: Vendor): Promise<RequestSpec> {
  const response = await fetch(`${url}/_keyforge/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ vendor }),
  });
  if (response.status !== 201)
    throw new Error(`POST /_keyforge/tenants ${vendor}: ${response.status} ${await response.text()}`);
  const { request } = (await response.json()) as { request: RequestSpec };
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([h]) => h.toLowerCase() !== 'content-type'),
  );
  return { ...request, headers };
}

/** The admin API's create request, with a unique key name per request. */
export function uniquelyNamed(vendor: Vendor, spec: RequestSpec): RequestSpec {
  return { ...spec, body: { ...(spec.body as object), [NAME_FIELD[vendor]]: `bench-${ID}` } };
}

/** Raw argon2id hashing at the bench's concurrency for `seconds`, in a child process; `ok` counts hashes. */
export async function argon2Baseline(profile: 'owasp' | 'fast', seconds: number): Promise<Load> {
  // Same environment as the server children, hence the same UV_THREADPOOL_SIZE.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/argon2-baseline.ts', profile, String(CONNECTIONS), String(seconds)],
    {
      cwd: ROOT,
      env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(threadpoolSize()) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  children.delete(child);
  if (code !== 0) throw new Error(`argon2 baseline (${profile}) exited with ${code}`);
  const { perSecond, p50, p99, ops } = JSON.parse(out.trim().split('\n').pop()!) as {
    perSecond: number;
    p50: number;
    p99: number;
    ops: number;
  };
  return { perSecond, p50, p99, ok: ops, unexpected: 0, errors: 0 };
}

/**
 * Measures each of `runs` for `seconds` in total, in `slices` alternating slices, and returns each
 * one's slices combined. This machine's speed drifts by more than a goal's margin within a minute:
 * measured one after the other, a case and its baseline saw different machines; in alternation
 * the drift falls on both sides of the ratio alike.
 */
export async function inAlternation(
  runs: Array<(seconds: number) => Promise<Load>>,
  seconds: number,
  slices: number,
): Promise<Load[]> {
  const measured = runs.map((): Load[] => []);
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, run] of runs.entries()) measured[i]!.push(await run(seconds / slices));
  }
  return measured.map(combined);
}

/** Equal-length slices of one measurement as one: mean rate, worst p50 and p99, summed counts. */
function combined(slices: Load[]): Load {
  const sum = (pick: (l: Load) => number) => slices.reduce((total, l) => total + pick(l), 0);
  return {
    perSecond: sum((l) => l.perSecond) / slices.length,
    p50: Math.max(...slices.map((l) => l.p50)),
    p99: Math.max(...slices.map((l) => l.p99)),
    ok: sum((l) => l.ok),
    unexpected: sum((l) => l.unexpected),
    errors: sum((l) => l.errors),
  };
}
