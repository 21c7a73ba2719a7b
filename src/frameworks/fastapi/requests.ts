// The FastAPI + pydantic v2 error style (Baseten and Imtegrate): request bodies are read the
// way FastAPI reads them, and errors raised while handling a request get FastAPI's answers (the
// 422 `detail` list itself is rendered by pydantic-errors.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { ANY_CONTENT_TYPE, isJsonMediaType, isParseableMediaType } from '../../http/media-type.js';
import { decodeJsonBytes, decodeUtf8 } from './python-bytes.js';
import { UNECHOABLE } from './python-echo.js';
import { pydanticDetail, type PydanticError } from './pydantic-errors.js';
import { MAX_DEPTH, parsePythonJson } from './python-json.js';
import { stringifyPython } from './python-numbers.js';
import { StatusError, statusOf } from '../../http/status-error.js';
import { RequestValidationError, type HttpPart } from '../../http/validation.js';
import { ExpectedError } from '../../expected-error.js';

/** Malformed JSON: FastAPI answers 422 json_invalid with Python's decoder message and offset. */
export class JsonDecodeError extends ExpectedError {
  readonly statusCode = 422;
  override readonly refusal = 'body';
  constructor(
    readonly pos: number,
    readonly decoderMessage: string,
  ) {
    super('JSON decode error');
  }
  get detail(): PydanticError[] {
    return [
      {
        type: 'json_invalid',
        loc: ['body', this.pos],
        msg: 'JSON decode error',
        input: {},
        ctx: { error: this.decoderMessage },
      },
    ];
  }
}

/** A body FastAPI cannot even decode (invalid UTF-8) answers 400 with this detail. */
export class BodyDecodeError extends ExpectedError {
  readonly statusCode = 400;
  override readonly refusal = 'body';
  constructor() {
    super('There was an error parsing the body');
  }
}

/**
 * Reads requests and writes replies the way FastAPI 0.142 does. Bodies: JSON when the
 * Content-Type is application/json or application/*+json, read as json.loads(bytes) reads
 * them (UTF-8, -16 or -32: python-bytes.ts); any other body, and one without a Content-Type
 * (FastAPI's strict_content_type), hands pydantic the raw text (which then fails as "not a
 * dictionary"); an empty body is no body at all; and an endpoint that declares no body never
 * reads it (so a garbled body cannot fail it).
 * Replies: Starlette's JSONResponse says `application/json`, without Fastify's charset.
 */
export function registerFastApiBodyParser(app: FastifyInstance): void {
  // An empty Content-Type is none to FastAPI (`if not content_type_value`), and one Fastify
  // cannot parse would be its 415, where FastAPI (email.message) reads it as text/plain: either
  // way the body goes to pydantic as text, like any type that is not JSON.
  app.addHook('onRequest', (request, _reply, done) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && (contentType === '' || !isParseableMediaType(contentType)))
      request.headers['content-type'] = 'text/plain';
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(ANY_CONTENT_TYPE, { parseAs: 'buffer' }, (request, raw: Buffer, done) => {
    request.rawBody = raw;
    if (raw.length === 0 || !request.routeOptions.schema?.body) return done(null, undefined);
    const contentType = request.headers['content-type'];
    if (contentType === undefined || !isJsonMediaType(contentType)) {
      // pydantic gets the bytes; FastAPI's echo of them is bytes.decode(), which keeps a BOM.
      // Bytes that are not UTF-8 fail that echo, once there is one (python-echo.ts).
      return done(null, decodeUtf8(raw) ?? raw.toString('latin1'));
    }
    const text = decodeJsonBytes(raw);
    if (text === null) return done(new BodyDecodeError(), undefined);
    const parsed = parsePythonJson(text, { fromBytes: true });
    // json.loads raises RecursionError on very deep documents, and FastAPI answers any
    // non-JSONDecodeError like an undecodable body. Past our cap we do the same: a 422 would
    // echo the document as `input`, and JSON.stringify overflows the stack on it.
    // (Nesting deeper than MAX_DEPTH takes at least two characters per level.)
    if (parsed.ok && text.length > 2 * MAX_DEPTH && nestingDepth(parsed.value) > MAX_DEPTH)
      return done(new BodyDecodeError(), undefined);
    if (parsed.ok) return done(null, parsed.value);
    done(new JsonDecodeError(parsed.pos, parsed.msg), undefined);
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8')
      reply.header('content-type', 'application/json');
    done(null, payload);
  });
}

/** How deeply arrays and objects nest in a decoded JSON value, walked without recursion; stops past MAX_DEPTH. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > MAX_DEPTH) return depth + 1;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * A JSON reply as Starlette writes it, also outside the plugin's hooks (not-found handlers): a
 * Buffer keeps Fastify off the charset, and echoed numbers keep their Python spelling.
 */
export function sendFastApiJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send(Buffer.from(stringifyPython(body)));
}

/**
 * FastAPI's answer for any error raised while handling a request, or null for an unexpected
 * failure (500). `inputs` holds the other validated parts (params, querystring) for their 422s.
 */
export function fastApiErrorReply(
  error: unknown,
  body: unknown,
  words: FastApiWording,
  inputs: Partial<Record<HttpPart, unknown>> = {},
): { status: number; body: unknown } | null {
  if (error instanceof RequestValidationError) {
    // FastAPI's own echo fails on it (a 500); keyforge answers as to a body it cannot decode.
    if (error.part === 'body' && body === UNECHOABLE)
      return { status: 400, body: { detail: 'There was an error parsing the body' } };
    const input = error.part === 'body' ? body : inputs[error.part];
    return { status: 422, body: { detail: pydanticDetail(error.issues, input, error.part) } };
  }
  if (error instanceof JsonDecodeError) return { status: 422, body: { detail: error.detail } };
  if (error instanceof BodyDecodeError) return { status: 400, body: { detail: error.message } };
  if (error instanceof InvalidCredential) return { status: 401, body: { detail: error.message || words.unauthorized } };
  if (error instanceof Forbidden) return { status: 403, body: { detail: error.message || words.forbidden } };
  if (error instanceof NotFound) return { status: 404, body: { detail: error.message || 'Not Found' } };
  // A StatusError (faults, rate limits) is answered as raised, 500 included, like an HTTPException.
  const status = error instanceof StatusError ? error.statusCode : statusOf(error);
  if (status === 500 && !(error instanceof StatusError)) return null;
  return { status, body: { detail: STATUS_DETAIL[status] ?? (error as Error).message } };
}

export interface FastApiWording {
  unauthorized: string;
  forbidden: string;
}

/** Starlette's HTTPException details for statuses raised outside the handler. */
const STATUS_DETAIL: Record<number, string> = {
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
