// The answers a FastAPI service gives besides its success, for the API documents: FastAPI's
// HTTPException body `{"detail": "…"}`, and its published 422 body, HTTPValidationError (FastAPI
// writes more keys per error than it publishes: input, ctx).
import { z } from 'zod';
import { answer, commonAnswers, keyforgeAnswer, type DocumentedAnswers } from '../../http/answers.js';
import type { PydanticError } from './pydantic-errors.js';

export const httpError = z
  .object({ detail: z.string().meta({ description: 'What went wrong', examples: ['Not Found'] }) })
  .meta({ id: 'HTTPError', title: 'HTTPError', description: "FastAPI's HTTPException body." });

/** Open: FastAPI publishes loc, msg and type, and sends input and ctx as well. */
const validationError = z
  .looseObject({
    loc: z.array(z.union([z.string(), z.int()])).meta({ title: 'Location' }),
    msg: z.string().meta({ title: 'Message' }),
    type: z.string().meta({ title: 'Error Type' }),
  })
  .meta({ id: 'ValidationError', title: 'ValidationError' });

export const httpValidationError = z
  .object({ detail: z.array(validationError).optional().meta({ title: 'Detail' }) })
  .meta({ id: 'HTTPValidationError', title: 'HTTPValidationError' });

export interface FastApiAnswerOptions {
  /** The detail of its 401. */
  unauthorized: string;
  /** The detail of its 403, when the operation checks a permission. */
  forbidden?: string;
  /** The detail of its 404, when the operation looks something up. */
  notFound?: string;
  /** The operation reads a JSON body: an undecodable one is 400. */
  readsBody?: boolean;
  /** A body arrives at all (every method but GET): one over --body-limit is 413. */
  receivesBody?: boolean;
  /** An example of its 422 (body or path validation), when it validates anything. */
  invalid?: PydanticError[];
  /** Statuses the vendor's own document lists for this operation (not marked as keyforge's). */
  documented?: readonly number[];
}

export function fastApiAnswers({
  unauthorized,
  forbidden,
  notFound,
  readsBody,
  receivesBody,
  invalid,
  documented = [],
}: FastApiAnswerOptions): DocumentedAnswers {
  const of = (status: number, description: string, schema: z.ZodType, example: unknown) =>
    (documented.includes(status) ? answer : keyforgeAnswer)(description, schema, example);
  const detail = (text: string) => ({ detail: text });
  return {
    ...(readsBody
      ? {
          400: of(
            400,
            'Bad Request: the body cannot be decoded (not UTF-8, or nested too deeply).',
            httpError,
            detail('There was an error parsing the body'),
          ),
        }
      : {}),
    401: of(
      401,
      'Unauthorized: no credential, or one that is malformed, unknown or revoked.',
      httpError,
      detail(unauthorized),
    ),
    ...(forbidden ? { 403: of(403, 'Forbidden: the key may not do this.', httpError, detail(forbidden)) } : {}),
    ...(notFound
      ? { 404: of(404, 'Not Found: nothing of that name the caller can reach.', httpError, detail(notFound)) }
      : {}),
    ...(invalid ? { 422: of(422, 'Validation Error', httpValidationError, detail(invalid as never)) } : {}),
    ...commonAnswers(httpError, {
      ...(readsBody || receivesBody ? { tooLarge: detail('Request Entity Too Large') } : {}),
      rateLimited: detail('Too Many Requests'),
      unavailable: detail('Service Unavailable'),
      fault: detail('Bad Gateway'),
    }),
  };
}
