// How many calls each fuzz sends, from one setting. KEYFORGE_FUZZ_RUNS=full (what .ci/run
// sets) runs every fuzz at its full count; unset, `npm test` runs a fifth of it, so a local run
// stays quick while CI keeps the counts the goals are stated at (e.g. ≥ 5,000 differential
// calls per vendor). KEYFORGE_FUZZ_SEED=<seed> replays a failure with the seed fast-check printed.

const SETTING = process.env.KEYFORGE_FUZZ_RUNS ?? 'quick';
if (SETTING !== 'full' && SETTING !== 'quick')
  throw new Error(`KEYFORGE_FUZZ_RUNS is 'full' or 'quick', not '${SETTING}'`);

const FULL_FUZZ = SETTING === 'full';

/** The runs of a fuzz whose full count is `full`. */
export function fuzzRuns(full: number): number {
  return FULL_FUZZ ? full : Math.max(1, Math.round(full / 5));
}

const FUZZ_SEED: number | undefined = process.env.KEYFORGE_FUZZ_SEED
  ? Number(process.env.KEYFORGE_FUZZ_SEED)
  : undefined;

/** fast-check parameters: `runs` calls, from the replayed seed if there is one. */
export function fuzzParameters(runs: number): { numRuns: number; seed?: number } {
  return { numRuns: runs, ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }) };
}
