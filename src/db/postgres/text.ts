// PostgreSQL text and jsonb cannot hold U+0000, which SQLite stores and every vendor's framework
// accepts in a string (pydantic, Jackson, malli, Ajv). So every string a client can fill is
// escaped on its way in and unescaped on its way out, here at the storage boundary: NUL becomes
// ESC "0" and ESC itself ESC ESC, ESC being U+FFFF (a noncharacter, which no text should hold).
// The mapping is one-to-one, so equality, uniqueness and lookups by an escaped value behave as on
// the value itself; a string holding neither character (nearly all) passes unchanged. Lone
// surrogates become U+FFFD on the way in, as on SQLite (../unicode.ts).
import { wellFormed } from '../unicode.js';

const ESC = '\uffff';
// eslint-disable-next-line no-control-regex -- NUL is what this module escapes
const TO_ESCAPE = /[\u0000\uffff]/g;
const ESCAPED = /\uffff([0\uffff])/g;

/** A string as PostgreSQL stores it. */
export function toPg(text: string): string {
  const value = wellFormed(text);
  if (value.indexOf('\u0000') === -1 && value.indexOf(ESC) === -1) return value;
  return value.replace(TO_ESCAPE, (c) => (c === ESC ? ESC + ESC : `${ESC}0`));
}

/** A stored string as it was written. */
export function fromPg(value: string): string {
  if (value.indexOf(ESC) === -1) return value;
  return value.replace(ESCAPED, (_, c: string) => (c === '0' ? '\u0000' : ESC));
}

/** A value as a statement parameter: strings escaped, and the strings of an array. */
export function paramToPg<T>(value: T): T {
  if (typeof value === 'string') return toPg(value) as T;
  if (Array.isArray(value)) return value.map(paramToPg) as T;
  return value;
}

/** A column value as read: strings unescaped, and the strings of an array (jsonb). */
export function valueFromPg<T>(value: T): T {
  if (typeof value === 'string') return fromPg(value) as T;
  if (Array.isArray(value)) return value.map(valueFromPg) as T;
  return value;
}

/**
 * A JSON text whose strings go into PostgreSQL (json_to_recordset): JSON.stringify writes NUL as
 * the escape \u0000 and ESC as itself, and a lone surrogate as an escape (\ud800) that
 * PostgreSQL refuses, failing the whole statement; an escape counts when no escaped backslash
 * is what precedes it.
 */
const JSON_TO_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})|\uffff/g;

export function jsonToPg(json: string): string {
  if (json.indexOf('\\u0000') === -1 && json.indexOf('\\ud') === -1 && json.indexOf(ESC) === -1) return json;
  return json.replace(JSON_TO_ESCAPE, (match, backslashes: string | undefined, escape: string | undefined) =>
    match === ESC ? ESC + ESC : `${backslashes ?? ''}${escape === '0000' ? `${ESC}0` : '\\ufffd'}`,
  );
}

/** A row's string fields as written. */
export function rowFromPg<Row extends object>(row: Row): Row {
  for (const key of Object.keys(row) as Array<keyof Row>) {
    const value = row[key];
    if (typeof value === 'string' && value.indexOf(ESC) !== -1) row[key] = fromPg(value) as Row[keyof Row];
  }
  return row;
}
