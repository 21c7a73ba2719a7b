// Request bodies for the replay beyond what a document's schemas give: numbers as written in the
// text (`0.0`, `1e16`, `NaN`…), lone surrogates, deep and huge documents, and every encoding a
// JSON reader might be handed (UTF-8 with a BOM, UTF-16 and UTF-32 either way round, Latin-1).
import fc from 'fast-check';

/** Number tokens whose value or spelling JavaScript and Python read differently. */
export const NUMBER_TOKENS = [
  '0.0',
  '-0.0',
  '-0',
  '1e16',
  '2e-7',
  '9007199254740993',
  '12345678901234567890',
  '1.0',
  '1.5',
  '1e2',
  '0.1',
  '1e-5',
  '0.0001',
  '1e22',
  '1e15',
  '5e-324',
  '1.7976931348623157e308',
  '123.456e-10',
  '100',
  '7',
];

/** JSON's extensions Python reads, and a number past a double: json.dumps cannot write them back. */
export const UNWRITABLE_NUMBER_TOKENS = ['NaN', 'Infinity', '-Infinity', '1E400', '-1e400'];

/** Where a number goes: into one field of an object the schema names, or as the whole body or a list item. */
export function withNumber(fields: readonly string[], tokens: readonly string[] = NUMBER_TOKENS): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...tokens), fc.constantFrom(...fields), fc.nat(4), fc.constantFrom(...fields))
    .map(([token, field, how, other]) => {
      if (how === 0) return token;
      if (how === 1) return `[${token}]`;
      if (how === 2) return `{"${field}":[${token}]}`;
      if (how === 3 && other !== field) return `{"${other}":"ok-name","${field}":${token}}`;
      return `{"${field}":${token}}`;
    });
}

/**
 * Strings Python and JavaScript hold differently: lone surrogates as escapes. One code point
 * each, in a body of one field, so no vendor creates a key with it: FastAPI cannot write such a
 * name back (500), which would break every later list call of the reference.
 */
export function withSurrogates(fields: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('\\ud800', '\\udfff', '\\udbff', '\\ud83d\\ude00'), fc.constantFrom(...fields))
    .map(([text, field]) => `{"${field}":"${text}"}`);
}

export function deep(fields: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(2, 10, 100, 500, 800, 3_000, 20_000),
      fc.constantFrom('[', '{"a":'),
      fc.boolean(),
      fc.constantFrom(...fields),
    )
    .map(([depth, open, nested, field]) => {
      const close = open === '[' ? ']' : '}';
      const value = `${open.repeat(depth)}1${close.repeat(depth)}`;
      return nested ? `{"${field}":${value}}` : value;
    });
}

/** Big but under keyforge's default 1 MiB body limit, and (when `overLimit`) one well over it. */
export function huge(fields: readonly string[], overLimit: boolean): fc.Arbitrary<string> {
  // Under the limit even as UTF-32 (4 bytes a character).
  const sizes = overLimit ? [1_500_000] : [100_000, 200_000];
  return fc
    .tuple(fc.constantFrom(...fields), fc.constantFrom(...sizes), fc.boolean())
    .map(([field, size, list]) =>
      list ? `{"${field}":[${'"s",'.repeat(size / 4)}"s"]}` : `{"${field}":"${'x'.repeat(size)}"}`,
    );
}

export const ENCODINGS = [
  'utf8',
  'utf8-bom',
  'utf16le',
  'utf16be',
  'utf16le-bom',
  'utf16be-bom',
  'utf32le',
  'utf32be',
  'utf32le-bom',
  'latin1',
] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** The text's bytes in an encoding (a lone surrogate stays one code unit in UTF-16 and UTF-32). */
export function encodeText(text: string, encoding: Encoding): Buffer {
  const bom = encoding.endsWith('-bom') ? '\ufeff' : '';
  const full = bom + text;
  switch (encoding) {
    case 'utf8':
    case 'utf8-bom':
      return Buffer.from(full, 'utf8');
    case 'latin1':
      return Buffer.from(full, 'latin1');
    case 'utf16le':
    case 'utf16le-bom':
      return Buffer.from(full, 'utf16le');
    case 'utf16be':
    case 'utf16be-bom':
      return Buffer.from(full, 'utf16le').swap16();
    default: {
      const points = [...full].map((c) => c.codePointAt(0)!);
      const out = Buffer.alloc(points.length * 4);
      points.forEach((point, i) =>
        encoding === 'utf32be' ? out.writeUInt32BE(point, i * 4) : out.writeUInt32LE(point, i * 4),
      );
      return out;
    }
  }
}

/** Bytes no text encoding makes: a surrogate written as UTF-8 (CESU-8), an invalid byte, a cut sequence. */
export const RAW_BODIES: readonly Buffer[] = [
  Buffer.from('{"name":"\xed\xa0\x80"}', 'latin1'),
  Buffer.from('{"type":"\xed\xb0\x80x"}', 'latin1'),
  Buffer.from('{"label":"\xff","roles":"r"}', 'latin1'),
  Buffer.from('{"name":"ab\xe2\x82"}', 'latin1'),
  Buffer.from('\xef\xbb\xbf\xef\xbb\xbf{}', 'latin1'),
  Buffer.from('\x00{', 'latin1'),
  Buffer.from('{\x00', 'latin1'),
  Buffer.from('{"a":1}\x00\x00\x00', 'latin1'),
];
