// The body as pydantic saw it, for the `input` of a 422: numbers Python spells otherwise than
// JavaScript (python-numbers.ts) are read again from the bytes with their Python spelling. Only
// a failing call pays for the second reading, and only when its text holds such a number.
import type { FastifyRequest } from 'fastify';
import { isJsonMediaType } from '../../http/media-type.js';
import { decodeJsonBytes, decodeUtf8 } from './python-bytes.js';
import { parsePythonJson } from './python-json.js';

/** A float, a long integer, or Python's NaN/Infinity somewhere in the text (also inside strings: then merely read twice). */
const SPELLED_OTHERWISE = /[0-9][.eE]|[0-9]{16}|NaN|Infinity/;

/**
 * A body FastAPI cannot echo: bytes that are not UTF-8 and not JSON, which `bytes.decode()` in
 * its error echo fails on (a 500 there). fastApiErrorReply answers its 422 as an undecodable body.
 */
export const UNECHOABLE = Symbol('unechoable body');

export function pythonBodyEcho(request: FastifyRequest): unknown {
  const raw = request.rawBody;
  const contentType = request.headers['content-type'];
  if (!Buffer.isBuffer(raw) || raw.length === 0) return request.body;
  if (contentType === undefined || !isJsonMediaType(contentType))
    return decodeUtf8(raw) === null ? UNECHOABLE : request.body;
  const text = decodeJsonBytes(raw);
  if (text === null || !SPELLED_OTHERWISE.test(text)) return request.body;
  const parsed = parsePythonJson(text, { fromBytes: true, pythonNumbers: true });
  return parsed.ok ? parsed.value : request.body;
}
