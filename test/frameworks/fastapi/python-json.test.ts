import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, parsePythonJson } from '../../../src/frameworks/fastapi/python-json.js';

/**
 * [input, pos, msg, note]. pos/msg were captured once from CPython's own json.loads(input) (the C
 * scanner) and written down literally: python3 3.11.7 for every row, and additionally 3.13.0,
 * which agreed on all rows except the trailing-comma ones. Those use the 3.13 wording and
 * position; the 3.11 answer is in the trailing comment.
 */
const MALFORMED: ReadonlyArray<readonly [input: string, pos: number, msg: string, note: string]> = [
  ['', 0, 'Expecting value', 'empty string'],
  ['   ', 3, 'Expecting value', 'whitespace only'],
  [' \t\n\r ', 5, 'Expecting value', 'all four whitespace characters'],
  ['{', 1, 'Expecting property name enclosed in double quotes', 'unclosed object'],
  ['{"a"', 4, "Expecting ':' delimiter", 'key then end of input'],
  ['{"a":}', 5, 'Expecting value', 'missing value'],
  ['{"a" 1}', 5, "Expecting ':' delimiter", 'missing colon'],
  ["{'a':1}", 1, 'Expecting property name enclosed in double quotes', 'single-quoted key'],
  ['{,}', 1, 'Expecting property name enclosed in double quotes', 'comma without member'],
  ['{"a"::1}', 5, 'Expecting value', 'double colon'],
  ['{"a":1', 6, "Expecting ',' delimiter", 'object cut after value'],
  ['{"a":1 "b":2}', 7, "Expecting ',' delimiter", 'missing comma in object'],
  ['{"a":1,"b"}', 10, "Expecting ':' delimiter", 'key without value'],
  ['{"a":1,,}', 7, 'Expecting property name enclosed in double quotes', 'double comma in object'],
  ['{"a":1,}', 6, 'Illegal trailing comma before end of object', 'trailing comma in object (3.13 wording)'], // 3.11: 'Expecting property name enclosed in double quotes' at 7
  [
    '{"a":1 , \n}',
    7,
    'Illegal trailing comma before end of object',
    'trailing comma in object with whitespace (3.13 wording)',
  ], // 3.11: 'Expecting property name enclosed in double quotes' at 10
  ['[', 1, 'Expecting value', 'unclosed array'],
  ['[1 2]', 3, "Expecting ',' delimiter", 'missing comma in array'],
  ['[1,2', 4, "Expecting ',' delimiter", 'array cut after value'],
  ['[,]', 1, 'Expecting value', 'leading comma'],
  ['[1,,2]', 3, 'Expecting value', 'double comma in array'],
  ['[1,]', 2, 'Illegal trailing comma before end of array', 'trailing comma in array (3.13 wording)'], // 3.11: 'Expecting value' at 3
  [
    '[1, \t]',
    2,
    'Illegal trailing comma before end of array',
    'trailing comma in array with whitespace (3.13 wording)',
  ], // 3.11: 'Expecting value' at 5
  ['{"a": [1, {"b": 2,}]}', 17, 'Illegal trailing comma before end of object', 'nested trailing comma (3.13 wording)'], // 3.11: 'Expecting property name enclosed in double quotes' at 18
  ['{"a": 1, "b": [1, 2, {"c": tru}]}', 27, 'Expecting value', 'innermost position wins'],
  ['"abc', 0, 'Unterminated string starting at', 'unterminated string'],
  ['"abc\\', 0, 'Unterminated string starting at', 'backslash at end of input'],
  ['"\\', 0, 'Unterminated string starting at', 'lone backslash'],
  ['["ok", "abc', 7, 'Unterminated string starting at', 'unterminated string inside array'],
  ['"a\\qb"', 2, 'Invalid \\escape', 'unknown escape: pos is the backslash (C scanner)'],
  ['"\\x41"', 1, 'Invalid \\escape', 'hex escape is not JSON'],
  ['"it\\\'s"', 3, 'Invalid \\escape', 'escaped single quote is not JSON'],
  ['"\\u12"', 2, 'Invalid \\uXXXX escape', 'short \\u escape'],
  ['"\\u00zz"', 2, 'Invalid \\uXXXX escape', 'non-hex \\u escape'],
  ['"\\u', 2, 'Invalid \\uXXXX escape', '\\u at end of input'],
  [
    '"\\u0041',
    2,
    'Invalid \\uXXXX escape',
    'C quirk: 4 hex digits at end of input are an invalid escape, not unterminated',
  ],
  ['"\\ud83d\\ude0"', 8, 'Invalid \\uXXXX escape', 'bad low half of a surrogate pair'],
  ['"\\ud83d\\ude00', 8, 'Invalid \\uXXXX escape', 'valid pair but unterminated: C quirk reports the second escape'],
  ['"a\tb"', 2, 'Invalid control character at', 'raw tab in string'],
  ['"a\nb"', 2, 'Invalid control character at', 'raw newline in string'],
  ['"\u0000"', 1, 'Invalid control character at', 'raw NUL in string'],
  ['"\u001f"', 1, 'Invalid control character at', 'raw U+001F in string'],
  ['{"a\u0001":1}', 3, 'Invalid control character at', 'raw control character in key'],
  ['{"a":1}x', 7, 'Extra data', 'extra data after object'],
  ['{"a":1}}', 7, 'Extra data', 'extra closing brace'],
  ['1 2', 2, 'Extra data', 'two values'],
  ['[] []', 3, 'Extra data', 'two arrays'],
  ['nul', 0, 'Expecting value', 'truncated null'],
  ['tru', 0, 'Expecting value', 'truncated true'],
  ['fals', 0, 'Expecting value', 'truncated false'],
  ['True', 0, 'Expecting value', 'Python literal is not JSON'],
  ['nan', 0, 'Expecting value', 'lowercase nan'],
  ['-Inf', 0, 'Expecting value', 'truncated -Infinity'],
  ['Infinity x', 9, 'Extra data', 'extra data after Infinity'],
  ['-', 0, 'Expecting value', 'lone minus'],
  ['+1', 0, 'Expecting value', 'plus sign'],
  ['.5', 0, 'Expecting value', 'leading dot'],
  ['1.', 1, 'Extra data', 'trailing dot is extra data'],
  ['01', 1, 'Extra data', 'leading zero'],
  ['-01', 2, 'Extra data', 'negative leading zero'],
  ['1e', 1, 'Extra data', 'dangling exponent'],
  ['1.5e+', 3, 'Extra data', 'dangling signed exponent'],
  ['٣', 0, 'Expecting value', 'non-ASCII digit'],
  ['\u00a01', 0, 'Expecting value', 'NBSP is not whitespace'],
  ['\u000b1', 0, 'Expecting value', 'vertical tab is not whitespace'],
  ['{}\u00a0', 2, 'Extra data', 'trailing NBSP is extra data'],
  ['\ufeff{}', 0, 'Unexpected UTF-8 BOM (decode using utf-8-sig)', 'leading BOM'],
  ['\ufeff', 0, 'Unexpected UTF-8 BOM (decode using utf-8-sig)', 'BOM only'],
  [' \ufeff{}', 1, 'Expecting value', 'BOM after whitespace is just an unexpected character'],
  ['😀', 0, 'Expecting value', 'astral character as a value'],
  ['"😀', 0, 'Unterminated string starting at', 'unterminated string with astral character'],
  ['["😀😀", x]', 7, 'Expecting value', 'pos counts code points after astral characters'],
  ['{"😀": 1 x}', 8, "Expecting ',' delimiter", 'astral key before missing comma'],
  ['"😀\u0001"', 2, 'Invalid control character at', 'control character after astral character'],
  ['["😀", "\\q"]', 7, 'Invalid \\escape', 'bad escape after astral character'],
  ['["😀",]', 4, 'Illegal trailing comma before end of array', 'trailing comma after astral character (3.13 wording)'], // 3.11: 'Expecting value' at 5
  ['{"😀":1}😀', 7, 'Extra data', 'extra data after astral key'],
];

const ALL_MESSAGES = [
  'Expecting value',
  'Expecting property name enclosed in double quotes',
  "Expecting ':' delimiter",
  "Expecting ',' delimiter",
  'Unterminated string starting at',
  'Invalid control character at',
  'Invalid \\escape',
  'Invalid \\uXXXX escape',
  'Extra data',
  'Unexpected UTF-8 BOM (decode using utf-8-sig)',
  'Illegal trailing comma before end of object',
  'Illegal trailing comma before end of array',
];

describe('parsePythonJson: malformed input', () => {
  for (const [input, pos, msg, note] of MALFORMED) {
    it(`${note}: ${JSON.stringify(input)} -> ${msg} @ ${pos}`, () => {
      expect(parsePythonJson(input)).toEqual({ ok: false, pos, msg });
    });
  }

  it('the table exercises every CPython message', () => {
    expect(new Set(MALFORMED.map(([, , msg]) => msg))).toEqual(new Set(ALL_MESSAGES));
  });
});

describe('parsePythonJson: valid input', () => {
  // Values cross-checked against python3's json.loads; -0/NaN compare with Object.is semantics.
  const VALID: ReadonlyArray<readonly [input: string, value: unknown]> = [
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    [' [NaN, -Infinity, Infinity] ', [NaN, -Infinity, Infinity]],
    ['{"a": NaN, "b": [1, 2.5e3, -0.0, true, false, null]}', { a: NaN, b: [1, 2500, -0, true, false, null] }],
    ['\t\n\r {"k": {}} \t\n\r', { k: {} }],
    ['"x\\u00e9\\ud83d\\ude00"', 'xé😀'],
    ['["\\ud83d\\ude00", NaN]', ['😀', NaN]],
    ['"\\udc00\\ud800"', '\udc00\ud800'], // lone surrogates survive, as in a Python str
    ['"\\/\\b\\f\\n\\r\\t\\"\\\\"', '/\b\f\n\r\t"\\'],
    ['1E400', Infinity],
    ['[1e400, NaN]', [Infinity, NaN]],
    ['"\u007f\u2028😀"', '\u007f\u2028😀'], // DEL and U+2028 are not control characters to json.loads
  ];
  for (const [input, value] of VALID) {
    it(JSON.stringify(input), () => {
      expect(parsePythonJson(input)).toEqual({ ok: true, value });
    });
  }

  it('keeps the first position and the last value of a repeated key, like dict(pairs)', () => {
    for (const input of ['{"a":1,"b":2,"a":3}', '{"a":1,"b":NaN,"a":3}']) {
      const r = parsePythonJson(input);
      expect(r.ok).toBe(true);
      if (r.ok)
        expect(Object.entries(r.value as object)).toEqual([
          ['a', 3],
          ['b', input.includes('NaN') ? NaN : 2],
        ]);
    }
  });

  it('makes "__proto__" an own key on both the JSON.parse and the NaN path', () => {
    for (const input of ['{"__proto__": {"x": 1}}', '{"__proto__": {"x": 1}, "n": NaN}']) {
      const r = parsePythonJson(input);
      if (!r.ok) throw new Error('expected ok');
      const obj = r.value as Record<string, unknown>;
      expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
      expect(Object.keys(obj)).toContain('__proto__');
      expect(obj['x']).toBeUndefined();
    }
  });
});

describe('parsePythonJson: deep nesting (our own limit, see MAX_DEPTH)', () => {
  it('accepts NaN documents nested exactly MAX_DEPTH deep', () => {
    const r = parsePythonJson('['.repeat(MAX_DEPTH) + 'NaN' + ']'.repeat(MAX_DEPTH));
    expect(r.ok).toBe(true);
  });

  it('reports "Expecting value" at the first bracket beyond MAX_DEPTH', () => {
    const deep = '['.repeat(MAX_DEPTH + 1) + 'NaN' + ']'.repeat(MAX_DEPTH + 1);
    expect(parsePythonJson(deep)).toEqual({ ok: false, pos: MAX_DEPTH, msg: 'Expecting value' });
    // pos is still in code points: each '["😀",' is 5 code points but 6 UTF-16 units.
    const astral = '["😀",'.repeat(MAX_DEPTH + 1);
    expect(parsePythonJson(astral)).toEqual({ ok: false, pos: 5 * MAX_DEPTH, msg: 'Expecting value' });
  });

  it('accepts deep valid JSON through JSON.parse, which does not recurse', () => {
    expect(parsePythonJson('['.repeat(100_000) + ']'.repeat(100_000)).ok).toBe(true);
  });

  it('never throws on pathological input', () => {
    const inputs = [
      '['.repeat(1_000_000),
      '{"a":'.repeat(200_000),
      '[{"a":'.repeat(100_000) + 'x',
      '"'.repeat(100_001),
      '\\'.repeat(100_000),
      '"' + '\\u'.repeat(50_000),
      '\ud800'.repeat(1000) + '\udc00',
    ];
    for (const input of inputs) {
      expect(() => parsePythonJson(input)).not.toThrow();
      expect(parsePythonJson(input).ok).toBe(false);
    }
  });
});
