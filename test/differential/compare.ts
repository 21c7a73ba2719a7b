// How two answers to the same call are compared: the status, the headers the framework sets
// (content-type, allow, location, www-authenticate), the exact bytes of every body but a
// success's — which compares by shape, since secrets, ids and times differ — after the one
// normalisation each vendor needs, stated here with its reason.
import type { Call } from './calls.js';
import type { RawResponse } from './raw-http.js';
import type { DifferentialVendor } from './profiles.js';

/** The Host both sides are sent, so redirect locations compare. */
export const HOST = 'differential.test';

export const COMPARED_HEADERS = ['content-type', 'allow', 'location', 'www-authenticate'] as const;

export interface Mismatch {
  /** What differs: status, a header's name, body or shape. */
  aspect: string;
  ours: string;
  theirs: string;
}

/**
 * The reference's answer as keyforge is meant to give it. Basic: stock Fastify's error bodies
 * carry `statusCode` and `code` besides `error` and `message`; Basic documents only the two, so
 * keyforge answers those (docs/vendors/basic.md) and the comparison drops the others.
 */
export function normalise(vendor: DifferentialVendor, response: RawResponse): RawResponse {
  if (vendor !== 'basic' || response.status < 400 || !isJson(response)) return response;
  const body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || typeof body.statusCode !== 'number') return response;
  return { ...response, body: Buffer.from(JSON.stringify({ error: body.error, message: body.message })) };
}

/**
 * keyforge's answer to a call it got under `/<vendor>` as if served at the root, as the
 * reference is: the mount shows in a redirect's Location and in Fastify's messages that quote the URL.
 */
export function unmounted(vendor: DifferentialVendor, call: Call, response: RawResponse): RawResponse {
  if (!call.mounted) return response;
  const headers = { ...response.headers };
  if (headers.location) headers.location = headers.location.replace(`://${HOST}/${vendor}`, `://${HOST}`);
  // Fastify's 404 (`Route GET:/basic/…`) and bad-URL (`'/basic/…' is not a valid url component`) messages.
  const body =
    vendor === 'basic' && response.status >= 400
      ? Buffer.from(
          response.body.toString('latin1').replace(`:/${vendor}/`, ':/').replace(`"'/${vendor}/`, `"'/`),
          'latin1',
        )
      : response.body;
  return { ...response, headers, body };
}

/** Kinds of generated text a success may hold, told apart by their form. */
const GENERATED: ReadonlyArray<[string, RegExp]> = [
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/],
  ['time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/],
  ['baseten key', /^[0-9A-Za-z]{8}\.[0-9A-Za-z]{32}$/],
  ['imtegrate token', /^imt_(test|live)_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/],
  ['imtegrate prefix', /^imt_(test|live)_[0-9A-Za-z]{8}$/],
  ['basic key', /^bsk_[0-9A-Za-z]{40}$/],
  ['key prefix', /^[0-9A-Za-z]{8}$/],
];

/**
 * A JSON value's shape: objects keep their keys in order, strings that are generated (ids, keys,
 * times) become their kind, and a list becomes the set of its items' shapes — so two stores
 * that drifted by a key still compare, while a field, type or echoed value that differs does not.
 */
export function shape(value: unknown): unknown {
  if (typeof value === 'string') return GENERATED.find(([, form]) => form.test(value))?.[0] ?? value;
  if (Array.isArray(value)) return [...new Set(value.map((item) => JSON.stringify(shape(item))))].sort();
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).map(([key, item]) => [key, shape(item)]);
  return value;
}

const text = (body: Buffer) => body.toString('latin1');

export function compare(ours: RawResponse, theirs: RawResponse): Mismatch[] {
  const mismatches: Mismatch[] = [];
  if (ours.status !== theirs.status)
    mismatches.push({ aspect: 'status', ours: String(ours.status), theirs: String(theirs.status) });
  for (const name of COMPARED_HEADERS) {
    if (ours.headers[name] !== theirs.headers[name])
      mismatches.push({ aspect: name, ours: ours.headers[name] ?? '(none)', theirs: theirs.headers[name] ?? '(none)' });
  }
  if (ours.status === theirs.status && ours.status >= 200 && ours.status < 300 && isJson(ours) && isJson(theirs)) {
    const [a, b] = [
      JSON.stringify(shape(JSON.parse(ours.body.toString()))),
      JSON.stringify(shape(JSON.parse(theirs.body.toString()))),
    ];
    if (a !== b) mismatches.push({ aspect: 'shape', ours: a, theirs: b });
  } else if (!ours.body.equals(theirs.body)) {
    mismatches.push({ aspect: 'body', ours: text(ours.body), theirs: text(theirs.body) });
  }
  return mismatches;
}

function isJson(response: RawResponse): boolean {
  if (!response.headers['content-type']?.startsWith('application/json') || response.body.length === 0) return false;
  try {
    JSON.parse(response.body.toString());
    return true;
  } catch {
    return false;
  }
}
