// Redaction for the request journal: secret headers, and any key of the vendor's format or any
// JWT inside a body. Runs on every vendor call, before an entry is kept.
import type { KeyFormat } from '../keys/formats.js';
import { SECRET_HEADERS } from '../vendors/index.js';

const SECRET_HEADER_SET = new Set(SECRET_HEADERS);
const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]+/g;

/**
 * The headers as sent (names as written, in order) with secret values redacted, as one string of
 * alternating name and value lines: HTTP allows no line break in either. One new string, rather
 * than an object holding on to every header string of the request.
 */
export function redactedHeaderLines(rawHeaders: string[]): string {
  const lines = rawHeaders.slice();
  for (let i = 0; i < lines.length; i += 2) {
    const name = lines[i]!.toLowerCase();
    if (!SECRET_HEADER_SET.has(name)) continue;
    lines[i + 1] = redactedValue(name, lines[i + 1] ?? '');
  }
  return lines.join('\n');
}

/** A secret header's value as the journal keeps it: an Authorization header keeps its scheme. */
function redactedValue(lowerCaseName: string, value: string): string {
  return lowerCaseName === 'authorization' && /^\S+ \S/.test(value)
    ? `${value.split(' ')[0]} [redacted]`
    : '[redacted]';
}

/** A reply's headers as redactedHeaderLines does a request's, built in one pass (every vendor call). */
export function redactedReplyHeaderLines(headers: Record<string, unknown>): string {
  let lines = '';
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const lowerCaseName = name.toLowerCase();
    const secret = SECRET_HEADER_SET.has(lowerCaseName);
    for (const one of Array.isArray(value) ? value : [value]) {
      const text = String(one);
      lines += `${lines === '' ? '' : '\n'}${name}\n${secret ? redactedValue(lowerCaseName, text) : text}`;
    }
  }
  return lines;
}

interface KeySearch {
  /** The format's pattern, global. */
  pattern: RegExp;
  /** Every format's secrets have one length, so a sample tells it; shorter texts hold none. */
  length: number;
  /** A cheaper pattern every text holding a key matches, when there is one. */
  quick: RegExp | null;
}

const searches = new WeakMap<KeyFormat, KeySearch>();

export function redactText(text: string, format: KeyFormat | undefined): string {
  const search = format && searchFor(format);
  const holdsKey =
    search !== undefined && text.length >= search.length && (search.quick === null || search.quick.test(text));
  // Two passes, not one alternation: each pattern alone lets the regex engine scan faster.
  const withoutKeys = holdsKey ? text.replace(search.pattern, '[redacted]') : text;
  return withoutKeys.replace(JWT, '[redacted]');
}

function searchFor(format: KeyFormat): KeySearch {
  let search = searches.get(format);
  if (!search) {
    const source = format.pattern.source;
    search = { pattern: new RegExp(source, 'g'), length: format.generate().length, quick: quickCheck(source) };
    searches.set(format, search);
  }
  return search;
}

/**
 * The pattern without its leading run of one character class (`[0-9A-Za-z]{8}` of
 * `<lookup>.<secret>`): a regex engine tries such a run at every position of the text, about
 * 2 µs on a 200-character body, while the rest starts with a literal it finds at once. Any
 * text the whole pattern matches, the rest matches too.
 */
function quickCheck(source: string): RegExp | null {
  const rest = source.replace(/^(\(\[[^\]]*\]\{\d+\}\)|\[[^\]]*\]\{\d+\})/, '');
  return rest === source ? null : new RegExp(rest);
}
