// One validator compiler for every route: zod schemas validate, and a failure keeps zod's
// issues intact (paths as arrays, codes, bounds) so each vendor renders them its own way.
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
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

/**
 * zod's own safeParse reports a failure as a real Error, and capturing its stack was the largest
 * cost of a rejected body. The core parser with the plain $ZodError class finalizes the same
 * issues without one.
 */
const safeParse = z.core._safeParse(z.core.$ZodError);

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = safeParse(schema, data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(result.error.issues, (httpPart ?? 'body') as HttpPart) };
  };
