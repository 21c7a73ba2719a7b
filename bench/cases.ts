// The bench's HTTP cases on SQLite, run in order by bench/run.ts: creates per vendor and hash
// profile (against raw argon2id) and fast-path calls (against a bare Fastify app). With
// `--compare DIR`, another build runs beside this one and is measured in the same alternation,
// and each case also reports this build against it. Start-up: startup.ts; 1M keys: large.ts.
import { join } from 'node:path';
import { admin, argon2Baseline, inAlternation, load, uniquelyNamed, type Load, type RequestSpec } from './load.js';
import { startKeyforge, startProcess, tmp, type Build, type Started } from './processes.js';
import { compareRow, ratioRow, reportBaseline } from './report.js';
import { COMPARE, DURATION, QUICK, SLICES, VENDORS, type Vendor } from './settings.js';

/** The other build of `--compare`, or null. */
export const OTHER_BUILD: Build | null = COMPARE ? { name: 'previous build', root: COMPARE } : null;

/** This build's server and, with --compare, the other build's, started alike. */
async function servers(
  profile: 'owasp' | 'fast',
  name: string,
): Promise<{ ours: Started; theirs: Started | undefined; stop(): Promise<void> }> {
  const ours = await startKeyforge(profile, join(tmp, `${name}.db`));
  const theirs = OTHER_BUILD ? await startKeyforge(profile, join(tmp, `${name}-other.db`), OTHER_BUILD) : undefined;
  return { ours, theirs, stop: async () => void (await Promise.all([ours.stop(), theirs?.stop()])) };
}

/**
 * Creates per vendor, each judged against a baseline measured in alternation with it (the
 * machine may be shared). At `owasp`, hashing is nearly all the work: the baseline is raw argon2
 * (same profile, concurrency, duration, threadpool size; goal ≥ 95%). At `fast`, HTTP costs as
 * much as hashing: the baseline is the ceiling of the stack, a bare Fastify handler that parses
 * the body, hashes and answers (bench/bare-fastify.ts), sent the same requests — the vendor's
 * headers and body with a unique name each time (goal ≥ 90%); raw argon2 is in the note.
 */
export async function createCases(profile: 'owasp' | 'fast'): Promise<Map<Vendor, Load>> {
  const { ours, theirs, stop } = await servers(profile, profile);
  const bareServer = profile === 'fast' ? await startBareFastify() : undefined;
  const loads = new Map<Vendor, Load>();
  let baseline: Load | undefined;
  try {
    for (const vendor of VENDORS) {
      const spec = uniquelyNamed(vendor, await admin(ours.url, vendor));
      const runs = [(seconds: number) => load(ours.url, spec, seconds, '2xx')];
      if (theirs) {
        const theirSpec = uniquelyNamed(vendor, await admin(theirs.url, vendor));
        runs.push((seconds) => load(theirs.url, theirSpec, seconds, '2xx'));
      }
      // Quick mode measures the baselines once per profile, to stay within its time budget.
      const measureBaselines = !QUICK || baseline === undefined;
      if (measureBaselines) runs.push((seconds) => argon2Baseline(profile, seconds));
      // The bare handler gets this vendor's own requests (its headers and uniquely named bodies).
      if (bareServer)
        runs.push((seconds) =>
          load(bareServer.url, { ...spec, method: 'POST', path: `/hash/${profile}` }, seconds, '2xx'),
        );
      const [measured, ...others] = await inAlternation(runs, DURATION, SLICES);
      const other = theirs ? others.shift() : undefined;
      if (measureBaselines) {
        baseline = others.shift();
        reportBaseline(`baseline: argon2id ${profile}, 20 concurrent`, baseline!);
      }
      loads.set(vendor, measured!);
      const ofRawArgon2 = `${((measured!.perSecond / baseline!.perSecond) * 100).toFixed(0)}% of raw argon2 (${baseline!.perSecond.toFixed(0)}/s)`;
      if (bareServer) {
        const ceiling = others.shift()!;
        reportBaseline(`baseline: bare fastify + argon2id ${profile}, ${vendor}'s requests`, ceiling);
        ratioRow(`create ${vendor} (${profile})`, measured!, ceiling, 'bare fastify + argon2', 0.9, ofRawArgon2);
      } else {
        ratioRow(`create ${vendor} (${profile})`, measured!, baseline!, `argon2 ${profile}`, 0.95);
      }
      if (other)
        compareRow(`create ${vendor} (${profile})`, measured!.perSecond, other.perSecond, 'rate', OTHER_BUILD!.name);
    }
  } finally {
    await stop();
    await bareServer?.stop();
  }
  return loads;
}

export const startBareFastify = (): Promise<Started> =>
  startProcess(['--import', 'tsx', 'bench/bare-fastify.ts'], /bare fastify listening on (http:\/\/\S+)/);

/** What the fast-path cases send, given a tenant's create request. */
export const FAST_PATH: Array<{ name: string; expect: '2xx' | '4xx'; spec(create: RequestSpec): RequestSpec }> = [
  // Unknown credential: well-formed, but its lookup id names no key (no argon2 work).
  {
    name: 'reject: unknown credential (baseten)',
    expect: '4xx',
    spec: (c) => ({
      ...c,
      headers: { ...c.headers, Authorization: 'Api-Key zzzzzzzz.00000000000000000000000000000000' },
    }),
  },
  // Invalid body with a valid (cached after its first verification) credential.
  { name: 'reject: invalid body (baseten)', expect: '4xx', spec: (c) => ({ ...c, body: { name: 5 } }) },
  // Authenticated list with a cached credential (the tenant holds its root key only).
  {
    name: 'list keys, cached credential (baseten)',
    expect: '2xx',
    spec: (c) => ({ method: 'GET', path: '/v1/api_keys', headers: c.headers }),
  },
];

/**
 * Calls that cost no argon2 work, each judged against the bare Fastify app (running alongside,
 * idle until its turn), the two measured in alternation.
 */
export async function fastPathCases(): Promise<void> {
  const bareServer = await startBareFastify();
  const { ours, theirs, stop } = await servers('fast', 'fastpath');
  const bare = { method: 'POST', path: '/echo', headers: {}, body: { name: 'x', type: 'PERSONAL' } };
  try {
    const spec = await admin(ours.url, 'baseten');
    const theirSpec = theirs && (await admin(theirs.url, 'baseten'));
    for (const { name, expect, spec: make } of FAST_PATH) {
      const runs = [
        (seconds: number) => load(bareServer.url, bare, seconds, '2xx'),
        (seconds: number) => load(ours.url, make(spec), seconds, expect),
      ];
      if (theirs) runs.push((seconds) => load(theirs.url, make(theirSpec!), seconds, expect));
      const [baseline, measured, other] = await inAlternation(runs, DURATION, SLICES);
      reportBaseline('baseline: bare fastify POST', baseline!);
      ratioRow(name, measured!, baseline!, 'bare fastify', 0.5);
      if (other) compareRow(name, measured!.perSecond, other.perSecond, 'rate', OTHER_BUILD!.name);
    }
  } finally {
    await stop();
    await bareServer.stop();
  }
}
