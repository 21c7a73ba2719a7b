// The scanner python-json.ts rescans a document with when JSON.parse refuses it: a small
// recursive-descent port of CPython's C scanner (Modules/_json.c: scan_once_unicode,
// scanstring_unicode, _parse_object_unicode, _parse_array_unicode, _match_number_unicode), so it
// fails where and as json.loads fails (ScanError's pos and msg). Its error positions differ from
// the pure-Python fallback in json/decoder.py: e.g. "Invalid \escape" is reported at the
// backslash, not at the escape letter. Apart from python-json.ts, which picks the parser and
// turns the scanner's UTF-16 positions into Python's code-point ones.
import { pythonNumber, type PythonNumber } from './python-numbers.js';

/**
 * Our own nesting cap for the recursive scanner. CPython gives up with RecursionError (not a
 * JSONDecodeError, so FastAPI answers differently) at about 1,000 levels in 3.11 and 10,000 in 3.13,
 * but each level costs two JS frames and Node's default ~1 MB stack only fits about 2,500 levels
 * of cold code, so we stop at 1,000 to leave room for the caller's frames. Our choice, not
 * CPython's: past the cap we report "Expecting value" at the opening bracket. Valid documents
 * never get here: `JSON.parse` accepts any depth without recursion.
 */
export const MAX_DEPTH = 1_000;

/** A json.JSONDecodeError as the scanner throws it; `pos` is a UTF-16 index until parsePythonJson converts it. */
export class ScanError {
  constructor(
    readonly pos: number,
    readonly msg: string,
  ) {}
}

// NaN/Infinity/-Infinity are Python extensions (json.loads' default parse_constant accepts them).
const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];

const ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

// JSON whitespace only: json.loads strips nothing else (no NBSP, no BOM, no vertical tab).
const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
// ASCII only: the C scanner does not accept other Unicode digits, unlike the regex in json/scanner.py.
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The scanner of one document: `document()` answers its value or throws a ScanError. */
export class PythonJsonScanner {
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
    if (this.i !== this.s.length) throw new ScanError(this.i, 'Extra data');
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
      if (depth >= MAX_DEPTH) throw new ScanError(this.i, 'Expecting value');
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
    else throw new ScanError(start, 'Expecting value');
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
        if (c <= 0x1f) throw new ScanError(next, 'Invalid control character at');
      }
      if (next >= s.length) throw new ScanError(begin, 'Unterminated string starting at');
      out += s.slice(end, next);
      if (s[next] === '"') {
        this.i = next + 1;
        return out;
      }
      const esc = s[++next]; // the character after the backslash
      if (esc === undefined) throw new ScanError(begin, 'Unterminated string starting at');
      if (esc !== 'u') {
        const ch = ESCAPES.get(esc);
        if (ch === undefined) throw new ScanError(next - 1, 'Invalid \\escape');
        out += ch;
        end = next + 1;
        continue;
      }
      // C quirk: the 4 hex digits must be followed by at least one more character, so `"\u0041`
      // at end of input is an "Invalid \uXXXX escape", not an unterminated string. Both errors
      // point at the 'u'.
      const hex = s.slice(next + 1, next + 5);
      if (next + 5 >= s.length || !/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ScanError(next, 'Invalid \\uXXXX escape');
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
      if (this.s[this.i] !== '"') throw new ScanError(this.i, 'Expecting property name enclosed in double quotes');
      const key = this.string();
      this.skipWs();
      if (!this.eat(':')) throw new ScanError(this.i, "Expecting ':' delimiter");
      this.skipWs();
      // Own data property even for "__proto__", like JSON.parse; a repeated key keeps its first
      // position and takes the last value, like dict(pairs).
      Object.defineProperty(obj, key, {
        value: this.value(depth),
        writable: true,
        enumerable: true,
        configurable: true,
      });
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
    if (this.s[this.i] !== ',') throw new ScanError(this.i, "Expecting ',' delimiter");
    const comma = this.i++;
    this.skipWs();
    // CPython 3.13+; 3.12 and older fall through to the next member and fail there.
    if (this.s[this.i] === close) throw new ScanError(comma, `Illegal trailing comma before end of ${kind}`);
    return false;
  }
}
