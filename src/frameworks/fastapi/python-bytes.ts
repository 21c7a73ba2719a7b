// How Python turns a request body's bytes into text, for the FastAPI vendors. A JSON body goes to
// `json.loads(bytes)`, which picks UTF-8, UTF-16 or UTF-32 from a BOM or from where the first
// bytes are zero (json.detect_encoding) and decodes with 'surrogatepass', so a surrogate written
// in UTF-8 or UTF-16 stays a lone surrogate instead of failing. Any other body reaches pydantic
// as bytes, which FastAPI's error echo turns into text with `bytes.decode()`: strict UTF-8 that
// keeps a BOM. null means Python raises UnicodeDecodeError.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `bytes.decode()`: strict UTF-8, a BOM kept as U+FEFF. */
export function decodeUtf8(raw: Uint8Array): string | null {
  try {
    return strictUtf8.decode(raw);
  } catch {
    return null;
  }
}

type PythonEncoding =
  'utf-32' | 'utf-16' | 'utf-8-sig' | 'utf-16-be' | 'utf-32-be' | 'utf-16-le' | 'utf-32-le' | 'utf-8';

/** json.detect_encoding, byte for byte. */
function detectEncoding(b: Uint8Array): PythonEncoding {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => b[i] === byte);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)) return 'utf-32';
  if (starts(0xfe, 0xff) || starts(0xff, 0xfe)) return 'utf-16';
  if (starts(0xef, 0xbb, 0xbf)) return 'utf-8-sig';
  if (b.length >= 4) {
    if (!b[0]) return b[1] ? 'utf-16-be' : 'utf-32-be';
    if (!b[1]) return b[2] || b[3] ? 'utf-16-le' : 'utf-32-le';
  } else if (b.length === 2) {
    if (!b[0]) return 'utf-16-be';
    if (!b[1]) return 'utf-16-le';
  }
  return 'utf-8';
}

/** UTF-16 code units as they are: 'surrogatepass' lets unpaired surrogates through. Odd lengths are "truncated data". */
function utf16(b: Uint8Array, bigEndian: boolean): string | null {
  if (b.length % 2 !== 0) return null;
  let out = '';
  for (let i = 0; i < b.length; i += 2)
    out += String.fromCharCode(bigEndian ? (b[i]! << 8) | b[i + 1]! : b[i]! | (b[i + 1]! << 8));
  return out;
}

/** UTF-32 code points; surrogates pass, anything past U+10FFFF is an error. */
function utf32(b: Uint8Array, bigEndian: boolean): string | null {
  if (b.length % 4 !== 0) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const point = view.getUint32(i, !bigEndian);
    if (point > 0x10ffff) return null;
    out += point >= 0xd800 && point <= 0xdfff ? String.fromCharCode(point) : String.fromCodePoint(point);
  }
  return out;
}

/** UTF-8 where a surrogate's three bytes (ED A0–BF 80–BF) decode to it; any other bad sequence fails. */
function utf8SurrogatePass(b: Uint8Array): string | null {
  const strict = decodeUtf8(b);
  if (strict !== null) return strict;
  let out = '';
  let start = 0;
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] !== 0xed || b[i + 1]! < 0xa0 || b[i + 1]! > 0xbf || b[i + 2]! < 0x80 || b[i + 2]! > 0xbf) continue;
    const before = decodeUtf8(b.subarray(start, i));
    if (before === null) return null;
    out += before + String.fromCharCode(0xd000 | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
    start = i + 3;
    i += 2;
  }
  const rest = decodeUtf8(b.subarray(start));
  return rest === null ? null : out + rest;
}

/** The text `json.loads(bytes)` parses, or null where decoding raises (FastAPI: 400). */
export function decodeJsonBytes(raw: Uint8Array): string | null {
  const encoding = detectEncoding(raw);
  switch (encoding) {
    case 'utf-32':
      return utf32(raw.subarray(4), raw[0] === 0x00);
    case 'utf-16':
      return utf16(raw.subarray(2), raw[0] === 0xfe);
    case 'utf-8-sig':
      return utf8SurrogatePass(raw.subarray(3));
    case 'utf-16-be':
    case 'utf-16-le':
      return utf16(raw, encoding === 'utf-16-be');
    case 'utf-32-be':
    case 'utf-32-le':
      return utf32(raw, encoding === 'utf-32-be');
    default:
      return utf8SurrogatePass(raw);
  }
}
