// The calls a replay sends, generated with fast-check from a vendor's document and beyond it:
// every method, the documented paths filled with earlier keys or odd values, trailing slashes
// and empty segments, credentials good, missing and garbled, odd media types and charsets,
// Expect headers, and bodies from the schemas, broken, numeric, deep, huge and in any encoding.
// A call names "the n-th key both sides created" with `{{key:n:field}}`, which each side
// resolves to its own key (replay.ts), so lifecycles run on both.
import fc from 'fast-check';
import { bodyFor, type Json } from '../contract/fuzz-schemas.js';
import {
  deep,
  ENCODINGS,
  huge,
  RAW_BODIES,
  UNWRITABLE_NUMBER_TOKENS,
  withNumber,
  withSurrogates,
  type Encoding,
} from './bodies.js';
import type { Operation, VendorProfile } from './profiles.js';

export interface Call {
  /** Sent to keyforge under `/<vendor>` rather than at its root (the reference has no such mount). */
  mounted: boolean;
  method: string;
  /** Path and query, as sent; may hold `{{key:n:id}}`. */
  target: string;
  /** May hold `{{key:n:secret}}`. */
  headers: Array<[string, string]>;
  body?: { text: string; encoding: Encoding } | { bytes: Buffer };
}

export const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'PURGE',
  'LINK',
  'SEARCH',
];

const MEDIA_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'text/plain',
  'text/json',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  'application/json;;',
  'application/json ; charset="utf-8"',
  'garbage',
  ';',
  'application/',
  '',
];

/** `arbitrary` in about `percent` % of calls, else nothing. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: percent, arbitrary }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });

const ref = (n: number, field: 'id' | 'secret') => `{{key:${n}:${field}}}`;

/** A path parameter: an earlier key, or a value no key has. */
function paramValue(profile: VendorProfile, name: string): fc.Arbitrary<string> {
  const demo = profile.demoParams[name];
  const odd = fc.oneof(
    fc.string({ minLength: 0, maxLength: 12 }).map(encodeURIComponent),
    fc.constantFrom('', '%2F', 'a%2Fb', '.', '..', '%00', '%E2%82%AC', '%zz', 'A%41', '%20', '+'),
    fc.uuid().map((uuid) => uuid.toUpperCase()),
    fc.uuid().map((uuid) => `{${uuid}}`),
    fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
    fc.uuid().map((uuid) => uuid.replaceAll('-', '')),
  );
  if (demo !== undefined) return fc.oneof({ weight: 9, arbitrary: fc.constant(demo) }, { weight: 1, arbitrary: odd });
  return fc.oneof({ weight: 3, arbitrary: fc.nat(40).map((n) => ref(n, 'id')) }, { weight: 2, arbitrary: odd });
}

/** What may happen to a well-formed path on its way to the server. */
const PATH_CHANGES = [
  'trailing slash',
  'two trailing slashes',
  'empty segment',
  'query',
  'empty query',
  'encoded letter',
  'upper case',
  'dot segment',
] as const;

function changedPath(path: string, change: (typeof PATH_CHANGES)[number], at: number): string {
  const slashes = [...path.matchAll(/\//g)].map((m) => m.index);
  const slash = slashes[at % slashes.length]!;
  switch (change) {
    case 'trailing slash':
      return `${path}/`;
    case 'two trailing slashes':
      return `${path}//`;
    case 'empty segment':
      return `${path.slice(0, slash)}/${path.slice(slash)}`;
    case 'query':
      return `${path}?limit=1&x=%41`;
    case 'empty query':
      return `${path}?`;
    case 'encoded letter': {
      const letter = path.search(/[a-z_]/);
      return letter < 0
        ? path
        : `${path.slice(0, letter)}%${path.charCodeAt(letter).toString(16).toUpperCase()}${path.slice(letter + 1)}`;
    }
    case 'upper case':
      return path.replace(/^\/[^/]+/, (first) => first.toUpperCase());
    case 'dot segment':
      return `${path}/.`;
  }
}

function target(profile: VendorProfile, operation: Operation): fc.Arbitrary<string> {
  const names = [...operation.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = fc.tuple(...names.map((name) => paramValue(profile, name)));
  const filled = values.map((vals) =>
    names.reduce((path, name, i) => path.replace(`{${name}}`, vals[i]!), operation.template),
  );
  return fc
    .tuple(filled, rarely(fc.constantFrom(...PATH_CHANGES), 15), fc.nat())
    .map(([path, change, at]) => (change ? changedPath(path, change, at) : path));
}

function authorization(profile: VendorProfile): fc.Arbitrary<Array<[string, string]>> {
  const { accepted, refused } = profile.schemes;
  const header = (value: string): Array<[string, string]> => [['Authorization', value]];
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...accepted).map((scheme) => header(`${scheme} ${profile.demoSecret}`)) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...accepted), fc.nat(40))
        .map(([scheme, n]) => header(`${scheme} ${ref(n, 'secret')}`)),
    },
    { weight: 2, arbitrary: fc.constant<Array<[string, string]>>([]) },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(
          `${refused} ${profile.demoSecret}`,
          accepted[0]!,
          `${accepted[0]}  ${profile.demoSecret}`,
          `${accepted[0]} ${profile.demoSecret} x`,
          `${accepted[0]} x${profile.demoSecret}`,
          `${accepted[0]} ${profile.demoSecret.slice(0, -1)}A`,
          '',
        )
        .map(header),
    },
    {
      weight: 1,
      arbitrary: fc.constant<Array<[string, string]>>([
        ['Authorization', `${accepted[0]} ${profile.demoSecret}`],
        ['Authorization', 'Bearer other'],
      ]),
    },
  );
}

/** keyforge's default --body-limit, and how many bytes a character takes at most in each encoding. */
const BODY_LIMIT = 1_048_576;
const BYTES_PER_CHARACTER: Record<Encoding, number> = {
  utf8: 3,
  'utf8-bom': 3,
  latin1: 1,
  utf16le: 2,
  utf16be: 2,
  'utf16le-bom': 2,
  'utf16be-bom': 2,
  utf32le: 4,
  utf32be: 4,
  'utf32le-bom': 4,
};

const authorizationOf = (profile: VendorProfile): Array<[string, string]> => [
  ['Authorization', `${profile.schemes.accepted[0]} ${profile.demoSecret}`],
];

/** Whether keyforge's shared root gives `target` to this vendor: it starts with one of the vendor's paths up to a parameter. */
function ownedAtRoot(profile: VendorProfile, target: string): boolean {
  const path = target.split('?')[0]!;
  return profile.operations.some(({ template }) => {
    const literal = template.split('{')[0]!;
    return literal.endsWith('/') ? path.startsWith(literal) : path === literal || path.startsWith(`${literal}/`);
  });
}

function schemaFields(operation: Operation): string[] {
  const fields = Object.keys((operation.body?.properties ?? {}) as Json);
  return fields.length > 0 ? fields : ['name'];
}

/** A body as text: from the schema (valid or broken), or one of the kinds JSON readers disagree on. */
function bodyText(profile: VendorProfile, operation: Operation): fc.Arbitrary<string | undefined> {
  const fields = schemaFields(operation);
  const fromSchema = bodyFor(profile.document, operation.body).map((body) =>
    body.kind === 'none' ? undefined : body.kind === 'raw' ? body.text : (JSON.stringify(body.value) ?? 'null'),
  );
  const verify = fc.nat(40).map((n) => `{"key":"${ref(n, 'secret')}"}`);
  const reads = operation.body !== undefined;
  // Weights: bodies a client sends most, then the ones JSON readers disagree on; those that make
  // FastAPI fail (unwritable numbers, lone surrogates) or hit keyforge's body limit are rare, as
  // each answer to them is a listed difference. The unit tests pin each of them exactly.
  return fc.oneof(
    { weight: reads ? 200 : 20, arbitrary: fromSchema },
    { weight: reads ? 0 : 60, arbitrary: fc.constant(undefined) },
    { weight: operation.template.endsWith('verify') ? 60 : 0, arbitrary: verify },
    { weight: 30, arbitrary: withNumber(fields) },
    { weight: 1, arbitrary: withNumber(fields, UNWRITABLE_NUMBER_TOKENS) },
    { weight: 1, arbitrary: withSurrogates(fields) },
    { weight: 8, arbitrary: deep(fields) },
    { weight: 5, arbitrary: huge(fields, false) },
    // Over the limit only where a body is read: elsewhere FastAPI deletes what keyforge's 413 keeps.
    { weight: reads ? 1 : 0, arbitrary: huge(fields, true) },
  );
}

export function calls(profile: VendorProfile): fc.Arbitrary<Call> {
  return fc.constantFrom(...profile.operations).chain((operation) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 7, arbitrary: fc.constant(operation.method) },
          { weight: 2, arbitrary: fc.constantFrom(...METHODS) },
        ),
        target: target(profile, operation),
        auth: authorization(profile),
        text: bodyText(profile, operation),
        raw: rarely(fc.constantFrom(...RAW_BODIES), 1),
        encoding: fc.oneof(
          { weight: 12, arbitrary: fc.constant<Encoding>('utf8') },
          { weight: 2, arbitrary: fc.constantFrom(...ENCODINGS) },
        ),
        contentType: fc.oneof(
          { weight: 10, arbitrary: fc.constant('application/json') },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: fc.constantFrom(...MEDIA_TYPES) },
        ),
        accept: rarely(
          fc.constantFrom('application/json', '*/*', 'text/html', 'application/xml', 'application/json;q=0', 'text/*'),
          15,
        ),
        expect: rarely(fc.constantFrom('100-continue', '100-Continue', 'foo', '200-ok'), 3),
        mounted: fc.boolean(),
        // UTF-16 and UTF-32 are for JSON readers; a text body in them is rarer (FastAPI fails to echo it, a listed difference).
        wideText: rarely(fc.constant(true), 10),
      })
      .map((r): Call => {
        // A body over keyforge's limit is refused before auth (413) where the reference uses the
        // key: its last use would then differ in every later list. Such calls use the demo key.
        const overLimit = r.text !== undefined && r.text.length * BYTES_PER_CHARACTER[r.encoding] > BODY_LIMIT; // as sent, at most
        const auth =
          overLimit && r.auth.some(([, value]) => value.includes('{{key:')) ? authorizationOf(profile) : r.auth;
        const headers: Array<[string, string]> = [...auth];
        if (r.accept) headers.push(['Accept', r.accept]);
        if (r.expect) headers.push(['Expect', r.expect]);
        const json = r.contentType !== undefined && /^application\/(json|[^;]*\+json)/i.test(r.contentType);
        const encoding = json || r.wideText || !/^utf(16|32)/.test(r.encoding) ? r.encoding : 'utf8';
        const body = r.raw ? { bytes: r.raw } : r.text === undefined ? undefined : { text: r.text, encoding };
        if (body && r.contentType !== undefined) headers.push(['Content-Type', r.contentType]);
        // A path no vendor owns gets keyforge's own 404 at its shared root (docs/vendors/<vendor>.md):
        // such a call is compared under /<vendor>, where the vendor's framework answers it.
        const mounted = r.mounted || !ownedAtRoot(profile, r.target);
        return { mounted, method: r.method, target: r.target, headers, ...(body ? { body } : {}) };
      }),
  );
}
