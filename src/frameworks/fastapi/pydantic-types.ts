// How pydantic v2 reads a `UUID` path parameter and prints a `datetime`, so Imtegrate's 422s and
// timestamps match a FastAPI service byte for byte.

const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SIMPLE = /^[0-9a-fA-F]{32}$/;

/**
 * The UUID in canonical form (lowercase, hyphenated), or null. pydantic hands the string to the
 * Rust `uuid` crate's `Uuid::parse_str`, which accepts 32 hex digits, the hyphenated form, and
 * the hyphenated form in braces or after `urn:uuid:`.
 */
export function parseUuid(text: string): string | null {
  let hex: string | null = null;
  if (SIMPLE.test(text)) hex = text;
  else {
    const inner =
      text.startsWith('{') && text.endsWith('}')
        ? text.slice(1, -1)
        : text.startsWith('urn:uuid:')
          ? text.slice(9)
          : text;
    if (HYPHENATED.test(inner)) hex = inner.replaceAll('-', '');
  }
  if (hex === null) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');
const BLOCK_STARTS = [0, 9, 14, 19, 24];
const GROUP_LENGTHS = [8, 4, 4, 4, 12];

/**
 * Why `parse_str` rejects a string, worded as pydantic 2.13 (pydantic-core 2.46, its `uuid`
 * crate) says it after "Input should be a valid UUID, ". A braced or `urn:uuid:` input of the
 * right byte length (38, 45) is explained without its wrapper, as the crate does; anything
 * else is explained whole, quirks included: positions are 1-based UTF-8 byte offsets that
 * count a wrapper, and the last group's length is measured on the whole input.
 */
export function uuidParseError(text: string): string {
  const bytes = utf8Length(text);
  if (bytes === 38 && text.startsWith('{') && text.endsWith('}')) return explain(text.slice(1, -1));
  if (bytes === 45 && text.startsWith('urn:uuid:')) return explain(text.slice(9));
  return explain(text);
}

/** The crate's `InvalidUuid::into_err` and the `Display` of its error. */
function explain(text: string): string {
  const [body, offset, simple] =
    text.length >= 2 && text.startsWith('{') && text.endsWith('}')
      ? [text.slice(1, -1), 1, false]
      : text.startsWith('urn:uuid:')
        ? [text.slice(9), 9, false]
        : [text, 0, true];
  let hyphens = 0;
  const bounds: number[] = [];
  let index = 0; // byte offset of the current character in `body`
  for (const ch of body) {
    if (ch === '-') {
      if (hyphens < 4) bounds.push(index);
      hyphens++;
    } else if (!/^[0-9a-fA-F]$/.test(ch)) {
      return `invalid character: found \`${ch}\` at ${index + offset + 1}`;
    }
    index += utf8Length(ch);
  }
  if (hyphens === 0 && simple) return `invalid length: expected length 32 for simple format, found ${utf8Length(text)}`;
  if (hyphens !== 4) return `invalid group count: expected 5, found ${hyphens + 1}`;
  for (let group = 0; group < 4; group++) {
    if (bounds[group] !== BLOCK_STARTS[group + 1]! - 1) {
      return `invalid group length in group ${group}: expected ${GROUP_LENGTHS[group]}, found ${bounds[group]! - BLOCK_STARTS[group]!}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${utf8Length(text) - BLOCK_STARTS[4]!}`;
}

/**
 * pydantic's JSON form of an aware UTC datetime: ISO-8601 with `Z`, and the fraction as six
 * digits of microseconds when there is one (none at all on a whole second).
 */
export function pydanticDateTime(date: Date): string {
  const iso = date.toISOString(); // 2026-01-01T00:00:00.123Z
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 23)}000Z`;
}
