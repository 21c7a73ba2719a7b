// `npm run bench [-- --quick]`: measures keyforge (dist/start.cjs, as `npm start`, in a child process on
// 127.0.0.1, port 0) with autocannon, and the baselines it is judged against in the same run:
// raw argon2id hashing (bench/argon2-baseline.ts) and a bare Fastify POST handler
// (bench/bare-fastify.ts). Prints a table and writes bench/results/latest.json.
// Every case is bounded in time; every child is killed on the way out (also on errors/^C).
// Settings: settings.ts; children: processes.ts; autocannon: load.ts; rows: report.ts; cases: cases.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createCases, fastPathCases } from './cases.js';
import { largeDatabaseCases } from './large.js';
import { resetCase, singleClientCase, underStormCase } from './latency.js';
import { postgresCases } from './postgres.js';
import { startupCase } from './startup.js';
import { ENTRY, ROOT } from './processes.js';
import { report, rows, table } from './report.js';
import { COMPARE, CONNECTIONS, DURATION, LARGE_DB_KEYS, QUICK, runs, VENDORS } from './settings.js';

async function main(): Promise<void> {
  const started = performance.now();
  for (const built of [ENTRY, 'dist/keyforge.bundle.cjs']) {
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run \`npm run build\` (npm run bench does)`);
  }
  if (COMPARE !== undefined && !existsSync(join(COMPARE, ENTRY)))
    throw new Error(`--compare ${COMPARE}: no ${ENTRY} there (run npm ci in that checkout)`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const cpuModel =
    /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const machine = {
    nproc: cpus().length,
    cpu: cpuModel,
    node: process.version,
    threadpool: process.env.UV_THREADPOOL_SIZE ?? 'default (4)',
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
  process.stdout.write(
    `keyforge bench${QUICK ? ' (quick)' : ''}: ${DURATION} s per case, ${CONNECTIONS} connections; ${machine.nproc} CPUs (${machine.cpu}), node ${machine.node}, UV_THREADPOOL_SIZE ${machine.threadpool}, load ${machine.loadAverage}${COMPARE ? `; compared with the build in ${COMPARE}` : ''}\n\n`,
  );

  if (runs('owasp')) await createCases('owasp');
  if (runs('fast')) {
    const fast = await createCases('fast');
    const fastP99 = Math.max(...[...fast.values()].map((l) => l.p99));
    report({
      case: 'p99 create latency (fast, 20 clients)',
      perSecond: null,
      p50: null,
      p99: fastP99,
      value: fastP99,
      unit: 'ms',
      baseline: 'worst vendor',
      goal: 'report',
      pass: null,
      note: VENDORS.map((v) => `${v} ${fast.get(v)!.p99.toFixed(1)}`).join(', '),
    });
  }
  if (runs('latency')) {
    await singleClientCase();
    await underStormCase();
    await resetCase();
  }
  if (runs('fast-path')) await fastPathCases();
  if (runs('startup')) await startupCase();
  if (runs('large')) await largeDatabaseCases();
  if (runs('postgres')) await postgresCases();

  const seconds = (performance.now() - started) / 1000;
  const markdown = table();
  process.stdout.write(
    `\n${markdown}\n\n${rows.filter((r) => r.pass === false).length} of ${rows.filter((r) => r.pass !== null).length} goals failed; ${seconds.toFixed(0)} s\n`,
  );
  writeFileSync(
    join(ROOT, 'bench/results/latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), quick: QUICK, durationSeconds: DURATION, connections: CONNECTIONS, largeDbKeys: LARGE_DB_KEYS, machine, seconds, rows, markdown }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
