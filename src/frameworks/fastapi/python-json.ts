/**
 * CPython-compatible JSON parsing, so emulated FastAPI vendors can answer malformed bodies
 * with the exact `json.JSONDecodeError` `pos`/`msg` that FastAPI puts in its 422 `json_invalid`
 * error.
 *
 * Valid documents go through `JSON.parse` (same grammar as CPython apart from the NaN/Infinity
 * literals). Only when it throws do we rescan with a small recursive-descent port of CPython's C
 * scanner (Modules/_json.c: scan_once_unicode, scanstring_unicode, _parse_object_unicode,
 * _parse_array_unicode, _match_number_unicode), which is what `json.loads` actually runs. Its
 * error positions differ from the pure-Python fallback in json/decoder.py: e.g. "Invalid \escape"
 * is reported at the backslash, not at the escape letter.
 *
 * Messages and positions match CPython 3.13, whose only difference from 3.11/3.12 is the
 * "Illegal trailing comma ..." errors (3.12 and older say "Expecting property name enclosed in
 * double quotes" / "Expecting value" at the closing bracket instead).
 */

import { pythonNumber, type PythonNumber } from './python-numbers.js';

export type PythonJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; pos: number; msg: string };

/**
 * Our own nesting cap for the recursive scanner. CPython gives up with RecursionError (not a
 * JSONDecodeError, so FastAPI answers differently) at about 1,000 levels in 3.11 and 10,000 in 3.13,
 * but each level costs two JS frames and Node's default ~1 MB stack only fits about 2,500 levels
 * of cold code, so we stop at 1,000 to leave room for the caller's frames. Our choice, not
 * CPython's: past the cap we report "Expecting value" at the opening bracket. Valid documents
 * never get here: `JSON.parse` accepts any depth without recursion.
 */
export const MAX_DEPTH = 1_000;

/** Thrown inside the scanner only; `pos` is a UTF-16 index until parsePythonJson converts it. */
class DecodeError {
  constructor(readonly pos: number, readonly msg: string) {}
}

// NaN/Infinity/-Infinity are Python extensions (json.loads' default parse_constant accepts them).
const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['null', null], ['true', true], ['false', false], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
];

const ESCAPES = new Map([
  ['"', '"'], ['\\', '\\'], ['/', '/'],
  ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'],
]);

// JSON whitespace only: json.loads strips nothing else (no NBSP, no BOM, no vertical tab).
const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
// ASCII only: the C scanner does not accept other Unicode digits, unlike the regex in json/scanner.py.
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

class Scanner {
  /** Cursor, a UTF-16 index into `s`; methods consume input by advancing it. */
  private i = 0;
  constructor(
    private readonly s: string,
    /** Numbers as Python holds them (python-numbers.ts), for echoing them back. */
    private readonly pythonNumbers = false,
  ) {}

  /** JSONDecoder.decode: leading whitespace, one value, trailing whitespace, nothing else. */
  document(): unknown {
    this.skipWs();
    const value = this.value(0);
    this.skipWs();
    if (this.i !== this.s.length) throw new DecodeError(this.i, 'Extra data');
    return value;
  }

  private skipWs(): void {
    while (isWs(this.s[this.i])) this.i++;
  }

  /** Consumes `ch` if the cursor is on it. */
  private eat(ch: string): boolean {
    if (this.s[this.i] !== ch) return false;
    this.i++;
    return true;
  }

  /**
   * scan_once: when no value starts here, CPython raises StopIteration(i), which propagates through
   * every enclosing container untouched and becomes "Expecting value" at i in raw_decode.
   */
  private value(depth: number): unknown {
    const c = this.s[this.i];
    if (c === '"') return this.string();
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) throw new DecodeError(this.i, 'Expecting value');
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    for (const [word, v] of LITERALS) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.number();
  }

  /** -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? ; a dangling "." or exponent is left for the caller. */
  private number(): number | PythonNumber {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s[i] === '-') i++;
    if (s[i] === '0') i++;
    else if (isDigit(s[i])) while (isDigit(s[i])) i++;
    else throw new DecodeError(start, 'Expecting value');
    if (s[i] === '.' && isDigit(s[i + 1])) {
      i += 2;
      while (isDigit(s[i])) i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      let j = i + 1;
      if (s[j] === '+' || s[j] === '-') j++;
      if (isDigit(s[j])) {
        while (isDigit(s[j])) j++;
        i = j;
      }
    }
    this.i = i;
    // Python would build an int for integers; a JS number is what JSON.parse gives too.
    return this.pythonNumbers ? pythonNumber(s.slice(start, i)) : Number(s.slice(start, i));
  }

  /** scanstring_unicode; the cursor is on the opening quote. */
  private string(): string {
    const s = this.s;
    const begin = this.i;
    let end = begin + 1; // start of the current unescaped chunk
    let out = '';
    for (;;) {
      let next = end;
      for (; next < s.length; next++) {
        const c = s.charCodeAt(next);
        if (c === 0x22 || c === 0x5c) break;
        if (c <= 0x1f) throw new DecodeError(next, 'Invalid control character at');
      }
      if (next >= s.length) throw new DecodeError(begin, 'Unterminated string starting at');
      out += s.slice(end, next);
      if (s[next] === '"') {
        this.i = next + 1;
        return out;
      }
      const esc = s[++next]; // the character after the backslash
      if (esc === undefined) throw new DecodeError(begin, 'Unterminated string starting at');
      if (esc !== 'u') {
        const ch = ESCAPES.get(esc);
        if (ch === undefined) throw new DecodeError(next - 1, 'Invalid \\escape');
        out += ch;
        end = next + 1;
        continue;
      }
      // C quirk: the 4 hex digits must be followed by at least one more character, so `"\u0041`
      // at end of input is an "Invalid \uXXXX escape", not an unterminated string. Both errors
      // point at the 'u'.
      const hex = s.slice(next + 1, next + 5);
      if (next + 5 >= s.length || !/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new DecodeError(next, 'Invalid \\uXXXX escape');
      }
      // CPython joins a \uD8xx\uDCxx pair into one code point; in UTF-16 appending the two halves
      // separately is the same string, and the pair path's error cases (bad digits in the second
      // escape, nothing after it) report the second 'u' exactly as the next iteration will.
      out += String.fromCharCode(parseInt(hex, 16));
      end = next + 5;
    }
  }

  /** _parse_object_unicode; the cursor is on the '{'. */
  private object(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.i++;
    this.skipWs();
    if (this.eat('}')) return obj;
    for (;;) {
      if (this.s[this.i] !== '"') throw new DecodeError(this.i, 'Expecting property name enclosed in double quotes');
      const key = this.string();
      this.skipWs();
      if (!this.eat(':')) throw new DecodeError(this.i, "Expecting ':' delimiter");
      this.skipWs();
      // Own data property even for "__proto__", like JSON.parse; a repeated key keeps its first
      // position and takes the last value, like dict(pairs).
      Object.defineProperty(obj, key, { value: this.value(depth), writable: true, enumerable: true, configurable: true });
      if (this.delimiter('}', 'object')) return obj;
    }
  }

  /** _parse_array_unicode; the cursor is on the '['. */
  private array(depth: number): unknown[] {
    const arr: unknown[] = [];
    this.i++;
    this.skipWs();
    if (this.eat(']')) return arr;
    do arr.push(this.value(depth));
    while (!this.delimiter(']', 'array'));
    return arr;
  }

  /** After a member: true (and past it) on the closing bracket, false (and past it) on a comma. */
  private delimiter(close: '}' | ']', kind: 'object' | 'array'): boolean {
    this.skipWs();
    if (this.eat(close)) return true;
    if (this.s[this.i] !== ',') throw new DecodeError(this.i, "Expecting ',' delimiter");
    const comma = this.i++;
    this.skipWs();
    // CPython 3.13+; 3.12 and older fall through to the next member and fail there.
    if (this.s[this.i] === close) throw new DecodeError(comma, `Illegal trailing comma before end of ${kind}`);
    return false;
  }
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Python str indices count code points: every surrogate pair before `utf16Index` counts once. */
function codePointIndex(s: string, utf16Index: number): number {
  let n = utf16Index;
  for (let i = 1; i < utf16Index; i++) {
    if (isLowSurrogate(s.charCodeAt(i)) && isHighSurrogate(s.charCodeAt(i - 1))) n--;
  }
  return n;
}

export interface PythonJsonOptions {
  /**
   * The text was decoded from bytes (json.loads(bytes), which Starlette's request.json() uses):
   * its decoding dropped a BOM already, and no check for one follows (python-bytes.ts).
   */
  fromBytes?: boolean;
  /** Numbers whose Python spelling differs from JavaScript's become PythonNumbers (for echoes). */
  pythonNumbers?: boolean;
}

/** Parses text the way CPython's json.loads(str) does, reporting errors as JSONDecodeError would (msg without the position suffix, pos in code points). */
export function parsePythonJson(text: string, { fromBytes = false, pythonNumbers = false }: PythonJsonOptions = {}): PythonJsonResult {
  // json.loads(str) rejects a leading BOM before parsing anything (JSON.parse would reject it too).
  if (!fromBytes && text.startsWith('\ufeff')) return { ok: false, pos: 0, msg: 'Unexpected UTF-8 BOM (decode using utf-8-sig)' };
  if (!pythonNumbers) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      // Malformed for JSON.parse: either a real error or a NaN/Infinity literal Python accepts.
    }
  }
  try {
    return { ok: true, value: new Scanner(text, pythonNumbers).document() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, pos: codePointIndex(text, e.pos), msg: e.msg };
    // Unreachable by design (MAX_DEPTH bounds recursion), but this function must never throw.
    return { ok: false, pos: 0, msg: 'Expecting value' };
  }
}
