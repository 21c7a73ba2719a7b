// muuntaja's `:allow-empty-input? true` (its default): a decoder that fails because its input
// ended before a value decodes the body to nil, as if none was sent. Which failures count is in
// muuntaja.core/on-exception, per library:
// - jsonista (JSON): Jackson's "No content to map due to end-of-input": nothing but whitespace;
// - transit (JSON and msgpack): an EOFException under the reader's error: no value at all;
// - clojure.edn: a RuntimeException saying exactly "EOF while reading". muuntaja reads through
//   a plain PushbackReader, so EdnReader rethrows it unwrapped and without a line number both
//   when no form precedes the end and when the end comes inside an open collection
//   (`{:name "ci"`). The end inside a string or character, or right after `#`, is another
//   message ("EOF while reading string/character") and stays a malformed body.
import type { MediaType } from './codecs.js';

/** Whether muuntaja would decode this body to nil. `text` is the body decoded as UTF-8 (BOM stripped), for the text types. */
export function isEmptyInput(mediaType: MediaType, raw: Buffer, text: () => string): boolean {
  if (raw.length === 0) return true;
  if (mediaType === 'application/transit+msgpack') return false;
  if (mediaType === 'application/edn') return scanFirstForm(text()) === 'none';
  return /^[ \t\r\n]*$/.test(text()); // Jackson's whitespace, for JSON and transit+json alike
}

/** Characters that end an EDN token (EdnReader's terminating macros) besides whitespace. */
const TERMINATORS = new Set(['"', ';', '(', ')', '[', ']', '{', '}', '\\']);
const CLOSERS = new Map([
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
]);
/** EdnReader's whitespace: Character.isWhitespace, and the comma. */
const isWhitespace = (ch: string) => ch === ',' || /\s/.test(ch);

/**
 * How clojure.edn/read of `text` ends, from its structure alone (what the forms hold is left to
 * the real reader, edn.ts): `none` is a bare "EOF while reading" — the text ends before its
 * first form is complete, outside any string or character literal; `broken` is any other
 * failure on the way (an end inside a string, an unmatched delimiter); `complete` means the
 * first form ends in the text (anything after it is never read).
 */
export function scanFirstForm(text: string): 'none' | 'complete' | 'broken' {
  const open: string[] = []; // closers of the collections open at this point
  let needed = 1; // top-level forms still to read before the first one is complete (#_ adds one)
  let i = 0;
  const completeOne = () => {
    if (open.length === 0) needed--;
  };
  const skipToken = () => {
    while (i < text.length && !isWhitespace(text[i]!) && !TERMINATORS.has(text[i]!)) i++;
  };
  while (i < text.length && needed > 0) {
    const ch = text[i]!;
    if (isWhitespace(ch)) i++;
    else if (ch === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) return 'broken'; // "EOF while reading string"
      i++;
      completeOne();
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return 'broken'; // "EOF while reading character"
      i += 2;
      skipToken();
      completeOne();
    } else if (ch === '#') {
      const next = text[i + 1];
      if (next === undefined) return 'broken'; // "EOF while reading character"
      i += 2;
      if (next === '{') open.push('}');
      else if (next === '_') {
        if (open.length === 0) needed++; // the discarded form, then the one that is read
      } else skipToken(); // ##Inf, or a tag (#uuid, #inst, #foo) whose value follows
      if (next === '#') completeOne();
    } else if (CLOSERS.has(ch)) {
      open.push(CLOSERS.get(ch)!);
      i++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (open.pop() !== ch) return 'broken'; // "Unmatched delimiter"
      i++;
      completeOne();
    } else {
      skipToken();
      completeOne();
    }
  }
  return needed > 0 ? 'none' : 'complete';
}
