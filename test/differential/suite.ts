// One differential suite per vendor: keyforge and the vendor's reference, each on a free port,
// the same fuzzed calls to both, and the verdict — at least 99.5% identical answers, and every
// other one a difference listed in differences.ts (and in docs/vendors/<vendor>.md). The seed
// and the figures are printed; KEYFORGE_DIFFERENTIAL_DUMP=<file> writes every unexplained
// difference there in full, KEYFORGE_DIFFERENTIAL_RUNS sets how many calls (5,000 at full fuzz counts, test/support/fuzz.ts).
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, type DifferentialVendor } from './profiles.js';
import { startKeyforge, type Side } from './references.js';
import { replay, RUNS, summary } from './replay.js';

/** The share of calls both sides must answer identically. */
export const REQUIRED_IDENTICAL = 0.995;

/** KEYFORGE_DIFFERENTIAL_SEED replaces every suite's fixed seed (each vendor adds its own fixed offset), to explore. */
const seedOf = (fixed: number) =>
  process.env.KEYFORGE_DIFFERENTIAL_SEED ? Number(process.env.KEYFORGE_DIFFERENTIAL_SEED) + (fixed % 10) : fixed;

export function differentialSuite(
  vendor: DifferentialVendor,
  reference: () => Promise<Side>,
  fixedSeed: number,
  runIf = true,
): void {
  const seed = seedOf(fixedSeed);
  describe.runIf(runIf)(`${vendor}: keyforge against its reference framework`, () => {
    let ours: Side | undefined;
    let theirs: Side | undefined;
    beforeAll(async () => {
      [ours, theirs] = await Promise.all([startKeyforge(), reference()]);
    });
    afterAll(async () => {
      await Promise.all([ours?.close(), theirs?.close()]);
    });

    it(`answers ${RUNS} fuzzed calls as the reference does (seed ${seed})`, async () => {
      const report = await replay(PROFILES[vendor](), { ours: ours!.port, theirs: theirs!.port }, seed);
      const text = summary(report);
      console.log(text);
      if (process.env.KEYFORGE_DIFFERENTIAL_DUMP)
        writeFileSync(process.env.KEYFORGE_DIFFERENTIAL_DUMP, JSON.stringify(report.unexplained, null, 1));
      expect(report.unexplained, text).toEqual([]);
      expect(report.identical / report.calls, text).toBeGreaterThanOrEqual(REQUIRED_IDENTICAL);
    }, 600_000);
  });
}
