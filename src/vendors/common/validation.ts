// One validator compiler for every route: zod schemas validate, and a failure keeps zod's
// issues intact (paths as arrays, codes, bounds) so each vendor renders them its own way.
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { ExpectedError } from '../../expected-error.js';

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

export class RequestValidationError extends ExpectedError {
  readonly statusCode = 400;
  constructor(
    readonly issues: z.core.$ZodIssue[],
    readonly part: HttpPart,
  ) {
    super(`invalid request ${part}`);
  }
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(result.error.issues, (httpPart ?? 'body') as HttpPart) };
  };
