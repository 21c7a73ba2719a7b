// Creates against a large database (1M keys), judged against an empty one, and the server's
// resident memory after a run of creates; with --compare, the other build on a copy of the same database.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTHER_BUILD } from './cases.js';
import { admin, inAlternation, load, uniquelyNamed } from './load.js';
import { rssMb, startKeyforge, tmp } from './processes.js';
import { compareRow, ratioRow, report } from './report.js';
import { seedDatabase } from './seed.js';
import { DURATION, LARGE_DB_KEYS, MEMORY_RUN_SECONDS, QUICK, type Vendor } from './settings.js';

/**
 * Creates against a large database, judged against an empty one. The machine's speed drifts
 * by more than the goal's margin within a minute, so the two servers run side by side and are
 * measured in alternation (four slices each, DURATION in total per server), not one after the
 * other.
 */
export async function largeDatabaseCases(): Promise<void> {
  const vendor: Vendor = 'baseten';
  const bigDb = join(tmp, 'large.db');
  const seeded = await seedDatabase(bigDb, LARGE_DB_KEYS);
  const label = QUICK ? `${LARGE_DB_KEYS / 1000}k keys (quick mode, not 1M)` : '1M keys';
  process.stdout.write(
    `(seeded ${seeded.keys} keys in ${seeded.seconds.toFixed(1)} s${QUICK ? ' — quick mode uses a smaller database than the 1,000,000-key goal' : ''})\n`,
  );
  if (OTHER_BUILD) copyFileSync(bigDb, join(tmp, 'large-other.db'));
  const empty = await startKeyforge('fast', join(tmp, 'empty.db'));
  const big = await startKeyforge('fast', bigDb);
  const otherBig = OTHER_BUILD ? await startKeyforge('fast', join(tmp, 'large-other.db'), OTHER_BUILD) : undefined;
  try {
    const emptySpec = uniquelyNamed(vendor, await admin(empty.url, vendor));
    const spec = uniquelyNamed(vendor, await admin(big.url, vendor));
    const otherSpec = otherBig && uniquelyNamed(vendor, await admin(otherBig.url, vendor));
    // Four slices even in quick mode: this case is about the two databases, not the time budget.
    const runs = [
      (seconds: number) => load(empty.url, emptySpec, seconds, '2xx'),
      (seconds: number) => load(big.url, spec, seconds, '2xx'),
    ];
    if (otherBig) runs.push((seconds) => load(otherBig.url, otherSpec!, seconds, '2xx'));
    const [emptyRate, bigRate, otherRate] = await inAlternation(runs, DURATION, 4);
    await empty.stop();
    await otherBig?.stop();
    ratioRow(
      `create ${vendor} (fast), ${label} stored`,
      bigRate!,
      emptyRate!,
      'empty db',
      0.9,
      'measured in alternation',
    );
    if (otherRate)
      compareRow(
        `create ${vendor} (fast), ${label} stored`,
        bigRate!.perSecond,
        otherRate.perSecond,
        'rate',
        OTHER_BUILD!.name,
      );
    // Keep creating until MEMORY_RUN_SECONDS of creates have run, then read the server's RSS.
    const rest = MEMORY_RUN_SECONDS - DURATION;
    if (rest > 0) await load(big.url, spec, rest, '2xx');
    const rss = rssMb(big.child.pid!);
    report({
      case: `resident memory, ${label}, after ${MEMORY_RUN_SECONDS} s creates`,
      perSecond: null,
      p50: null,
      p99: null,
      value: rss,
      unit: 'MB',
      baseline: 'VmRSS of the server',
      goal: '< 200 MB',
      pass: rss === null ? null : rss < 200,
    });
  } finally {
    await empty.stop();
    await big.stop();
    await otherBig?.stop();
  }
}
