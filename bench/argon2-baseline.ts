// Baseline: raw argon2id hashing throughput through libuv's threadpool, with N concurrent
// hashes in flight (like N clients each waiting for a create), the same parameters as the
// server's profile (imported from src/keys/hashing.ts) and the same UV_THREADPOOL_SIZE (the
// runner gives this process the server's environment). Prints one JSON line.
import argon2 from 'argon2';
import { argon2Options, type HashProfileName } from '../src/keys/hashing.js';

const [profileArg, concurrencyArg, durationArg] = process.argv.slice(2);
const profile = (profileArg ?? 'owasp') as HashProfileName;
const concurrency = Number(concurrencyArg ?? 20);
const durationMs = Number(durationArg ?? 10) * 1000;
const options = argon2Options(profile);

await argon2.hash('warm-up', options);
const latencies: number[] = [];
const start = performance.now();
const deadline = start + durationMs;
let done = 0;
let n = 0;
async function client(): Promise<void> {
  while (performance.now() < deadline) {
    const t = performance.now();
    await argon2.hash(`secret-${n++}`, options);
    const end = performance.now();
    if (end <= deadline) {
      done++;
      latencies.push(end - t);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, client));
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ profile, concurrency, threadpool: process.env.UV_THREADPOOL_SIZE ?? 'default', ops: done, perSecond: done / (durationMs / 1000), p50: pct(50), p99: pct(99) })}\n`,
);
