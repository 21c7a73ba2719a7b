/**
 * CPython-compatible JSON parsing, so emulated FastAPI vendors can answer malformed bodies
 * with the exact `json.JSONDecodeError` `pos`/`msg` that FastAPI puts in its 422 `json_invalid`
 * error.
 *
 * Valid documents go through `JSON.parse` (same grammar as CPython apart from the NaN/Infinity
 * literals). Only when it throws do we rescan with python-json-scanner.ts, a port of CPython's C
 * scanner, which is what `json.loads` actually runs.
 *
 * Messages and positions match CPython 3.13, whose only difference from 3.11/3.12 is the
 * "Illegal trailing comma ..." errors (3.12 and older say "Expecting property name enclosed in
 * double quotes" / "Expecting value" at the closing bracket instead).
 */

import { PythonJsonScanner, ScanError } from './python-json-scanner.js';

export { MAX_DEPTH } from './python-json-scanner.js';

export type PythonJsonResult = { ok: true; value: unknown } | { ok: false; pos: number; msg: string };

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
export function parsePythonJson(
  text: string,
  { fromBytes = false, pythonNumbers = false }: PythonJsonOptions = {},
): PythonJsonResult {
  // json.loads(str) rejects a leading BOM before parsing anything (JSON.parse would reject it too).
  if (!fromBytes && text.startsWith('\ufeff'))
    return { ok: false, pos: 0, msg: 'Unexpected UTF-8 BOM (decode using utf-8-sig)' };
  if (!pythonNumbers) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      // Malformed for JSON.parse: either a real error or a NaN/Infinity literal Python accepts.
    }
  }
  try {
    return { ok: true, value: new PythonJsonScanner(text, pythonNumbers).document() };
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, pos: codePointIndex(text, e.pos), msg: e.msg };
    // Unreachable by design (MAX_DEPTH bounds recursion), but this function must never throw.
    return { ok: false, pos: 0, msg: 'Expecting value' };
  }
}
