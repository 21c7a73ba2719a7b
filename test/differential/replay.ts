// Sends the same calls, in the same order, to keyforge and to a vendor's reference, and sorts
// every answer pair into identical, a listed difference (differences.ts) or an unexplained one.
// Calls come from a fixed fast-check seed, so a run is repeatable from the seed it prints.
import fc from 'fast-check';
import { calls, type Call } from './calls.js';
import { compare, HOST, normalise, unmounted, type Mismatch } from './compare.js';
import { encodeText } from './bodies.js';
import { explain, type ListedDifference } from './differences.js';
import type { CreatedKey, VendorProfile } from './profiles.js';
import { RawHttpClient, type RawRequest, type RawResponse } from './raw-http.js';
import { fuzzRuns } from '../support/fuzz.js';

/** How many calls a replay sends per vendor: KEYFORGE_DIFFERENTIAL_RUNS, else 5,000 at full fuzz counts (test/support/fuzz.ts). */
export const RUNS = Number(process.env.KEYFORGE_DIFFERENTIAL_RUNS ?? fuzzRuns(5_000));

export interface Difference {
  /** The call's place in the replay, from 0. */
  index: number;
  call: string;
  mismatches: Mismatch[];
  listed?: ListedDifference;
}

export interface Report {
  vendor: string;
  seed: number;
  calls: number;
  identical: number;
  /** Listed differences by kind, with a count. */
  listed: Map<string, { difference: ListedDifference; count: number; example: Difference }>;
  unexplained: Difference[];
}

class Side {
  readonly created: CreatedKey[] = [];
  readonly client: RawHttpClient;
  /** The values this side put in place of the current call's `{{key:…}}` tokens. */
  private substituted = new Map<string, string>();
  constructor(
    port: number,
    /** Where a mounted call goes on this side: `/<vendor>` for keyforge, nothing for a reference. */
    private readonly mount: string,
  ) {
    this.client = new RawHttpClient(port);
  }

  /** `{{key:n:field}}` as this side's n-th created key (modulo how many there are). */
  private resolve(text: string): string {
    return text.replace(/\{\{key:(\d+):(id|secret)\}\}/g, (token, n: string, field: 'id' | 'secret') => {
      const value =
        this.created.length === 0 ? `no-such-${field}` : this.created[Number(n) % this.created.length]![field];
      this.substituted.set(value, token);
      return value;
    });
  }

  private request(call: Call): RawRequest {
    const body =
      call.body === undefined
        ? undefined
        : 'bytes' in call.body
          ? call.body.bytes
          : encodeText(this.resolve(call.body.text), call.body.encoding);
    const headers: Array<[string, string]> = [
      ['Host', HOST],
      ...call.headers.map(([name, value]): [string, string] => [name, this.resolve(value)]),
    ];
    if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
    const target = `${call.mounted ? this.mount : ''}${this.resolve(call.target)}`;
    return { method: call.method, target, headers, ...(body === undefined ? {} : { body }) };
  }

  /** The answer, with this side's own key ids and secrets put back as the call's tokens, so sides compare. */
  async send(call: Call): Promise<RawResponse> {
    this.substituted = new Map();
    let response: RawResponse;
    try {
      response = await this.client.send(this.request(call));
    } catch (err) {
      return { status: 0, headers: {}, body: Buffer.from(`(no answer: ${(err as Error).message})`) };
    }
    if (this.substituted.size === 0) return response;
    const tokenised = (text: string) =>
      [...this.substituted].reduce((out, [value, token]) => out.replaceAll(value, token), text);
    const headers = {
      ...response.headers,
      ...(response.headers.location ? { location: tokenised(response.headers.location) } : {}),
    };
    return {
      ...response,
      headers,
      body: response.status >= 300 ? Buffer.from(tokenised(response.body.toString('latin1')), 'latin1') : response.body,
    };
  }
}

export function describeCall(call: Call): string {
  const body =
    call.body === undefined
      ? ''
      : 'bytes' in call.body
        ? ` bytes ${call.body.bytes.toString('hex').slice(0, 80)}`
        : ` ${call.body.encoding} ${JSON.stringify(call.body.text.slice(0, 160))}${call.body.text.length > 160 ? `…(${call.body.text.length})` : ''}`;
  return `${call.method} ${call.target} ${JSON.stringify(call.headers)}${body}`;
}

export async function replay(
  profile: VendorProfile,
  ports: { ours: number; theirs: number },
  seed: number,
  runs = RUNS,
): Promise<Report> {
  const ours = new Side(ports.ours, `/${profile.vendor}`);
  const theirs = new Side(ports.theirs, '');
  const report: Report = { vendor: profile.vendor, seed, calls: 0, identical: 0, listed: new Map(), unexplained: [] };
  try {
    for (const call of fc.sample(calls(profile), { seed, numRuns: runs })) {
      const [a, b] = await Promise.all([ours.send(call), theirs.send(call)]);
      report.calls++;
      const mismatches = compare(unmounted(profile.vendor, call, a), normalise(profile.vendor, b));
      if (mismatches.length === 0) report.identical++;
      else {
        const difference: Difference = { index: report.calls - 1, call: describeCall(call), mismatches };
        const listed = explain(profile.vendor, call, a, b, mismatches);
        if (!listed) report.unexplained.push(difference);
        else {
          const entry = report.listed.get(listed.kind) ?? { difference: listed, count: 0, example: difference };
          entry.count++;
          report.listed.set(listed.kind, entry);
        }
      }
      const keys = [createdBy(profile, a), createdBy(profile, b)];
      if (keys[0] && keys[1]) {
        ours.created.push(keys[0]);
        theirs.created.push(keys[1]);
      }
    }
  } finally {
    ours.client.close();
    theirs.client.close();
  }
  return report;
}

/** The key a create answered with, when the answer is one. */
function createdBy(profile: VendorProfile, response: RawResponse): CreatedKey | null {
  if (
    response.status < 200 ||
    response.status > 299 ||
    !response.headers['content-type']?.startsWith('application/json')
  )
    return null;
  try {
    const key = profile.createdKey(JSON.parse(response.body.toString()));
    return typeof key.secret === 'string' && typeof key.id === 'string' ? key : null;
  } catch {
    return null;
  }
}

/** How many unexplained differences a summary shows in full (KEYFORGE_DIFFERENTIAL_SHOW). */
const SHOWN = Number(process.env.KEYFORGE_DIFFERENTIAL_SHOW ?? 30);

export function summary(report: Report): string {
  const percent = ((100 * report.identical) / Math.max(1, report.calls)).toFixed(2);
  const lines = [
    `${report.vendor}: ${report.calls} calls (seed ${report.seed}), ${report.identical} identical (${percent}%)`,
  ];
  for (const [kind, { count, example }] of report.listed)
    lines.push(`  listed: ${kind} × ${count}, e.g. ${example.call}`);
  for (const difference of report.unexplained.slice(0, SHOWN)) {
    lines.push(`  UNEXPLAINED ${difference.call}`);
    for (const m of difference.mismatches)
      lines.push(
        `      ${m.aspect}: keyforge ${JSON.stringify(m.ours.slice(0, 300))} / reference ${JSON.stringify(m.theirs.slice(0, 300))}`,
      );
  }
  if (report.unexplained.length > SHOWN) lines.push(`  … and ${report.unexplained.length - SHOWN} more unexplained`);
  return lines.join('\n');
}
