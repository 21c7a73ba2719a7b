// application/edn through edn-data, read and printed the way Bytebeam's Clojure service does
// (muuntaja: clojure.edn/read for requests, pr-str for answers).
import { tagValue, toEDNString, toKeyword } from 'edn-data';
// parseEDNString answers nil for an unterminated document ("{:a 1"), so requests are read with
// the library's own list parser, which says whether the document ended.
import { EDNListParser } from 'edn-data/dist/parse.js';
import { scanFirstForm } from './empty-input.js';
import {
  isAnswerMap,
  isKeywordName,
  Keyword,
  mapKeyKind,
  Opaque,
  otherKey,
  plainMap,
  stringKey,
  Uuid,
  type Answer,
  type Plain,
} from './wire.js';

/**
 * pr-str of an answer: `{:role "admin", :name "ci", :key #uuid "…"}`. edn-data prints every
 * element; entries are joined with ", " as Clojure prints maps (edn-data would use a space).
 */
export function writeEdn(value: Answer): string {
  if (isAnswerMap(value)) {
    const entries = Object.entries(value).map(([key, v]) => `${ednKey(key)} ${writeEdn(v)}`);
    return `{${entries.join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(writeEdn).join(' ')}]`;
  if (value instanceof Keyword) return toEDNString(toKeyword(value.name));
  if (value instanceof Uuid) return toEDNString(tagValue('uuid', value.value));
  return toEDNString(value as string | number | boolean | null);
}

/** A keyword for a field name; a key the client sent as a string goes back quoted, any other as it was printed. */
function ednKey(key: string): string {
  const { kind, text } = mapKeyKind(key);
  if (kind === 'other') return text;
  return toEDNString(kind === 'keyword' && isKeywordName(text) ? toKeyword(text) : text);
}

/** The first form of the document, as clojure.edn/read returns it (empty input is caught before it: empty-input.ts). */
export function readEdn(text: string): Plain {
  // edn-data lets an unmatched delimiter through (`{:name "x"]`); clojure.edn refuses it.
  if (scanFirstForm(text) !== 'complete') throw new Error('not one complete EDN form');
  const parser = new EDNListParser();
  // The newline ends a trailing comment, which would otherwise swallow the closing parenthesis.
  const forms = parser.next(`(${text}\n)`);
  if (!parser.isDone() || forms.length === 0) throw new Error('incomplete EDN document');
  assertReadable(forms[0]);
  return fromEdn(forms[0]);
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What clojure.edn/read refuses but edn-data lets through, so muuntaja would answer 400
 * Malformed: a repeated map key or set element ("Duplicate key"), a tag other than #inst and
 * #uuid ("No reader function for tag"), and an #inst or #uuid that does not parse.
 */
function assertReadable(node: unknown): void {
  if (node instanceof Date) {
    if (Number.isNaN(node.getTime())) throw new Error('invalid #inst');
  } else if (Array.isArray(node)) {
    node.forEach(assertReadable);
  } else if (isTree(node)) {
    // edn-data reads `:` alone, or `:1x`, as keywords; clojure.edn says "Invalid token".
    if (typeof node.key === 'string' && !isKeywordName(node.key)) throw new Error(`invalid keyword :${node.key}`);
    if (Array.isArray(node.map)) {
      const pairs = node.map as Array<[unknown, unknown]>;
      assertDistinct(pairs.map(([key]) => key));
      for (const [key, value] of pairs) {
        assertReadable(key);
        assertReadable(value);
      }
    } else if (Array.isArray(node.set)) {
      assertDistinct(node.set);
      node.set.forEach(assertReadable);
    } else if (Array.isArray(node.list)) {
      node.list.forEach(assertReadable);
    } else if (
      typeof node.tag === 'string' &&
      !(node.tag === 'uuid' && typeof node.val === 'string' && UUID_TEXT.test(node.val))
    ) {
      throw new Error(`no reader function for tag ${node.tag}`);
    }
  }
}

function assertDistinct(items: unknown[]): void {
  const printed = new Set(items.map((item) => toEDNString(item as Parameters<typeof toEDNString>[0])));
  if (printed.size !== items.length) throw new Error('duplicate key');
}

/** edn-data's parse tree ({map}, {key}, {tag, val}, …) as plain data; keyword keys become field names, other keys stay apart (wire.ts). */
function fromEdn(value: unknown): Plain {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map(fromEdn);
  if (isTree(value) && Array.isArray(value.map)) {
    return plainMap((value.map as Array<[unknown, unknown]>).map(([key, v]) => [keyName(key), fromEdn(v)]));
  }
  return new Opaque(isTree(value) && 'key' in value ? 'keyword' : 'edn value');
}

function keyName(key: unknown): string {
  if (isTree(key) && typeof key.key === 'string') return key.key;
  if (typeof key === 'string') return stringKey(key);
  return otherKey(toEDNString(key as Parameters<typeof toEDNString>[0]));
}

function isTree(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}
