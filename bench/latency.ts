// Latency cases: a single client's fast creates against the bare Fastify + argon2 handler (p99
// within 1.5 times its p99), health and rejections while every threadpool thread hashes owasp
// creates, and reset with 1,000 keys stored (p99 within 10 ms).
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startBareFastify } from './cases.js';
import { admin, inAlternation, load, uniquelyNamed } from './load.js';
import { startKeyforge, tmp } from './processes.js';
import { report } from './report.js';
import { ADMIN_TOKEN, DURATION, QUICK, SLICES } from './settings.js';

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

/** One client creating keys one after another, on keyforge and on the bare handler, in alternation. */
export async function singleClientCase(): Promise<void> {
  const server = await startKeyforge('fast', join(tmp, 'single.db'));
  const bare = await startBareFastify();
  try {
    const spec = uniquelyNamed('baseten', await admin(server.url, 'baseten'));
    const [measured, baseline] = await inAlternation(
      [(s) => load(server.url, spec, s, '2xx', 1), (s) => load(bare.url, { ...spec, path: '/hash/fast' }, s, '2xx', 1)],
      DURATION,
      SLICES,
    );
    const ratio = measured!.p99 / baseline!.p99;
    report({
      case: 'single-client create baseten (fast): p99',
      perSecond: measured!.perSecond,
      p50: measured!.p50,
      p99: measured!.p99,
      value: ratio,
      unit: 'ratio',
      baseline: `bare fastify + argon2 p99 ${baseline!.p99.toFixed(1)} ms`,
      goal: '<= 150%',
      pass: ratio <= 1.5,
      note: `bare ${baseline!.perSecond.toFixed(0)}/s, p50 ${baseline!.p50.toFixed(1)} ms`,
    });
  } finally {
    await Promise.all([server.stop(), bare.stop()]);
  }
}

/** Health and an unknown credential's rejection, one call at a time, while 20 clients create owasp keys. */
export async function underStormCase(): Promise<void> {
  const server = await startKeyforge('owasp', join(tmp, 'storm.db'));
  try {
    const spec = uniquelyNamed('baseten', await admin(server.url, 'baseten'));
    const storm = load(server.url, spec, DURATION, '2xx');
    await new Promise((resolve) => setTimeout(resolve, 500)); // every hashing thread busy
    const probe = async (path: string, init: RequestInit) => {
      const latencies: number[] = [];
      const deadline = performance.now() + (DURATION - 1) * 1000;
      while (performance.now() < deadline) {
        const started = performance.now();
        await (await fetch(server.url + path, init)).arrayBuffer();
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return latencies;
    };
    const [health, rejected] = await Promise.all([
      probe('/_keyforge/health', {}),
      probe('/v1/api_keys', {
        method: 'POST',
        headers: {
          authorization: 'Api-Key zzzzzzzz.00000000000000000000000000000000',
          'content-type': 'application/json',
        },
        body: '{"type":"PERSONAL"}',
      }),
    ]);
    const creates = await storm;
    for (const [name, latencies] of [
      ['health', health],
      ['reject: unknown credential', rejected],
    ] as const) {
      report({
        case: `${name} during an owasp create storm: p99`,
        perSecond: null,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        value: percentile(latencies, 99),
        unit: 'ms',
        baseline: `${latencies.length} calls, one at a time`,
        goal: '< 50 ms',
        pass: percentile(latencies, 99) < 50,
        note: `creates meanwhile ${creates.perSecond.toFixed(0)}/s`,
      });
    }
  } finally {
    await server.stop();
  }
}

/** Reset when 1,000 keys are stored: the keys are created anew before each reset. */
export async function resetCase(): Promise<void> {
  const server = await startKeyforge('fast', join(tmp, 'reset.db'));
  const rounds = QUICK ? 5 : 20;
  const latencies: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const spec = uniquelyNamed('baseten', await admin(server.url, 'baseten'));
      const body = JSON.stringify(spec.body);
      let n = 0;
      await autocannon({
        url: server.url + spec.path,
        method: 'POST',
        headers: { ...spec.headers, 'content-type': 'application/json' },
        connections: 10,
        amount: 1000,
        requests: [{ setupRequest: (request) => ({ ...request, body: body.replace('[<id>]', `r${round}-${n++}`) }) }],
      });
      const started = performance.now();
      const res = await fetch(`${server.url}/_keyforge/reset`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`reset answered ${res.status}`);
    }
    report({
      case: 'reset with 1,000 keys stored: p99',
      perSecond: null,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      value: percentile(latencies, 99),
      unit: 'ms',
      baseline: `${rounds} resets, 1,000 fresh keys before each`,
      goal: '<= 10 ms',
      pass: percentile(latencies, 99) <= 10,
    });
  } finally {
    await server.stop();
  }
}
