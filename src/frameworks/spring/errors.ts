// The Spring Boot error style (Peaka): every error is the body Spring's BasicErrorController
// renders, `{timestamp, status, error, message, path}`, with the message included as a service
// running `server.error.include-message=always` would. Bodies are read the way Spring MVC's
// Jackson converter reads them: JSON (or +json) only, everything else 415, no body 400.
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Forbidden, InvalidCredential, NotFound } from '../../keys/errors.js';
import { commonAnswers, keyforgeAnswer, type DocumentedAnswers } from '../../http/answers.js';
import { ANY_CONTENT_TYPE, isJsonMediaType } from '../../http/media-type.js';
import { StatusError, statusOf } from '../../http/status-error.js';
import { RequestValidationError } from '../../http/validation.js';

export const springErrorSchema = z
  .object({
    timestamp: z
      .string()
      .meta({ description: 'When the error happened (ISO-8601)', examples: ['2027-09-10T10:11:00.000+00:00'] }),
    status: z
      .number()
      .int()
      .meta({ description: 'HTTP status code', examples: [404] }),
    error: z.string().meta({ description: 'HTTP reason phrase', examples: ['Not Found'] }),
    message: z.string().meta({ description: 'What went wrong', examples: ['Project not found'] }),
    path: z.string().meta({ description: 'The request path', examples: ['/api/v1/projects/mtKDhe1U/apiKeys'] }),
  })
  .meta({ id: 'SpringError', description: "Spring Boot's default error body." });

export type SpringErrorBody = z.infer<typeof springErrorSchema>;

/**
 * An operation's error answers for its document: for each status, what it means and its
 * message, in Spring's body (an example at `path`), plus the statuses every call may answer.
 */
export function springAnswers(
  path: string,
  statuses: Record<number, { description: string; message: string }>,
  receivesBody: boolean,
): DocumentedAnswers {
  const body = (status: number, message: string): SpringErrorBody => ({
    timestamp: '2027-09-10T10:11:00.000+00:00',
    status,
    error: STATUS_CODES[status] ?? 'Unknown Status',
    message,
    path,
  });
  const answers: DocumentedAnswers = {};
  for (const [status, { description, message }] of Object.entries(statuses))
    answers[status] = keyforgeAnswer(description, springErrorSchema, body(Number(status), message));
  return {
    ...answers,
    ...commonAnswers(springErrorSchema, {
      ...(receivesBody ? { tooLarge: body(413, 'Payload Too Large') } : {}),
      rateLimited: body(429, 'rate limit of 60 calls per minute exceeded'),
      unavailable: body(503, 'the database is unavailable'),
      fault: body(502, 'fault injected by keyforge (fault 1)'),
    }),
  };
}

/** Spring's HttpMessageNotReadableException: no body, or a body Jackson cannot read. */
export class HttpMessageNotReadable extends StatusError {
  override readonly refusal = 'body';
  constructor(message: string) {
    super(400, message);
  }
}

/** Spring's HttpMediaTypeNotSupportedException, worded as Spring 6 words it. */
export class HttpMediaTypeNotSupported extends StatusError {
  override readonly refusal = 'media type';
  constructor(contentType: string) {
    super(415, `Content-Type '${contentType}' is not supported`);
  }
}

export const MISSING_BODY = 'Required request body is missing';
// Jackson's own messages quote the offending input; ours is fixed so no body text is echoed.
export const MALFORMED_JSON = 'JSON parse error: the request body is not valid JSON';

/** Jackson's `java.util.Date` format (StdDateFormat), which Spring uses for `timestamp`. */
export function springTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '+00:00');
}

export function springErrorBody(request: FastifyRequest, status: number, message: string): SpringErrorBody {
  return {
    timestamp: springTimestamp(request.server.clock()),
    status,
    error: STATUS_CODES[status] ?? 'Unknown Status',
    message,
    path: request.url.split('?')[0]!,
  };
}

export interface SpringWording {
  unauthorized: string;
  forbidden: string;
  notFound: string;
}

/** Status and message for an error raised while handling a request, or null for an unexpected failure (500). */
export function springErrorReply(
  error: unknown,
  request: FastifyRequest,
  words: SpringWording,
): { status: number; message: string } | null {
  if (error instanceof RequestValidationError) return { status: 400, message: validationMessage(error) };
  if (error instanceof InvalidCredential) return { status: 401, message: error.message || words.unauthorized };
  if (error instanceof Forbidden) return { status: 403, message: error.message || words.forbidden };
  if (error instanceof NotFound) return { status: 404, message: error.message || words.notFound };
  if ((error as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, message: new HttpMediaTypeNotSupported(String(request.headers['content-type'])).message };
  }
  const status = statusOf(error);
  if (status === 500) return null;
  // Our own StatusErrors carry a message meant for the client; framework errors get the reason phrase.
  return { status, message: error instanceof StatusError ? error.message : (STATUS_CODES[status] ?? 'Error') };
}

/** One line naming every failed field, e.g. `expiresAt: must be in the future`. */
function validationMessage(error: RequestValidationError): string {
  return error.issues
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`))
    .join('; ');
}

/**
 * Spring MVC's `@RequestBody` reading: only routes that bind a body read it; JSON and
 * `application/*+json` are accepted; a missing Content-Type is `application/octet-stream`,
 * which is unsupported unless there is no body at all. JSON `null` is no body.
 */
export function registerSpringJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(ANY_CONTENT_TYPE, { parseAs: 'string' }, (request, text, done) => {
    request.rawBody = text;
    if (!request.routeOptions.schema?.body) return done(null, undefined);
    const contentType = request.headers['content-type'];
    if (contentType === undefined) {
      return text === ''
        ? done(null, undefined)
        : done(new HttpMediaTypeNotSupported('application/octet-stream'), undefined);
    }
    if (!isJsonMediaType(contentType)) return done(new HttpMediaTypeNotSupported(contentType.trim()), undefined);
    if ((text as string).trim() === '') return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text as string);
    } catch {
      return done(new HttpMessageNotReadable(MALFORMED_JSON), undefined);
    }
    done(null, value === null ? undefined : value);
  });
}

/** preValidation hook for routes whose `@RequestBody` is required (the default in Spring). */
export async function requireBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) throw new HttpMessageNotReadable(MISSING_BODY);
}
