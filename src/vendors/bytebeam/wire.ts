// The data Bytebeam's Clojure service exchanges, independent of the media type: what a
// handler answers (keyword-keyed maps whose values may be keywords or UUIDs) and what a
// request body decodes to (a plain map, whatever the encoding). Each codec in codecs.ts maps
// these onto its own wire format; JSON writes keywords and UUIDs as plain strings.
import { ExpectedError } from '../../expected-error.js';

/** A Clojure keyword such as `:malli` or `:reitit.coercion/request-coercion` (name without the colon). */
export class Keyword {
  constructor(readonly name: string) {}
  toJSON(): string {
    return this.name;
  }
}

/** A java.util.UUID: a tagged value in transit and EDN, a string in JSON. */
export class Uuid {
  constructor(readonly value: string) {}
  toJSON(): string {
    return this.value;
  }
}

/** A value of an answer. Map keys are keywords on the wire (see keywordKey). */
export type Answer = string | number | boolean | null | Keyword | Uuid | readonly Answer[] | AnswerMap;
export interface AnswerMap {
  readonly [key: string]: Answer;
}

export const keyword = (name: string): Keyword => new Keyword(name);

export function isAnswerMap(value: Answer): value is AnswerMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Keyword) &&
    !(value instanceof Uuid)
  );
}

/**
 * Whether a map key can be written as a keyword. Clojure keywordizes every decoded key, but a
 * key like "my key" would print as an unreadable keyword, so such keys stay strings.
 */
export function isKeywordName(key: string): boolean {
  return /^[A-Za-z*+!_?<>=-][\w*+!?<>=.'-]*(\/[\w*+!?<>=.'-]+)?$/.test(key);
}

/**
 * Map keys as decoded, as field names. Clojure keeps `:name`, `"name"` and the symbol `name`
 * apart, and Bytebeam's malli schema names keyword keys only (muuntaja keywordizes JSON keys,
 * but its transit and EDN readers keep keys as written, and reitit's default transformer for
 * those formats renames none). So a keyword key is its bare name, and any other key is marked:
 * a string by its JSON-quoted text (`"name"`), anything else by a NUL and its EDN form. Neither
 * is a field, so the closed schema answers "missing required key" for `:name` and "disallowed
 * key" for `"name"`, as malli does. (A keyword whose name starts with `"` or NUL, possible only
 * in transit, would read as marked: no client sends one.)
 */
export const stringKey = (key: string): string => JSON.stringify(key);
export const otherKey = (printed: string): string => `\u0000${printed}`;

/** How a map key (a field name, or a key marked above) is written back. */
export function mapKeyKind(key: string): { kind: 'keyword' | 'string' | 'other'; text: string } {
  if (key.startsWith('"') && key.endsWith('"') && key.length >= 2) {
    try {
      return { kind: 'string', text: JSON.parse(key) as string };
    } catch {
      // not one of ours: a keyword that happens to start with a quote
    }
  }
  if (key.startsWith('\u0000')) return { kind: 'other', text: key.slice(1) };
  return { kind: 'keyword', text: key };
}

/**
 * A decoded value no Bytebeam field accepts (a keyword, UUID, set, symbol, big integer…):
 * kept opaque so validation answers "should be a string" for it, as malli would.
 */
export class Opaque {
  constructor(readonly description: string) {}
}

/** What every codec decodes a body to: plain maps with string keys, vectors and scalars. */
export type Plain = string | number | boolean | null | Opaque | Plain[] | { [key: string]: Plain };

/** A body that could not be decoded: answered 400 text/plain the way muuntaja does. */
export class MalformedBody extends ExpectedError {
  readonly statusCode = 400;
  override readonly refusal = 'body';
  constructor(readonly mediaType: string) {
    super(`Malformed "${mediaType}" request.`);
  }
}

/** Builds a plain map from decoded entries; a repeated key keeps its last value, as JSON.parse does. */
export function plainMap(entries: Iterable<readonly [string, Plain]>): { [key: string]: Plain } {
  // fromEntries defines own properties, so a "__proto__" key stays a key (and is rejected as extra).
  return Object.fromEntries(entries);
}
