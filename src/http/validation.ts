// One validator compiler for every route: zod schemas validate, and a failure keeps zod's
// issues intact (paths as arrays, codes, bounds) so each vendor renders them its own way.
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { ExpectedError } from '../expected-error.js';

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

export class RequestValidationError extends ExpectedError {
  readonly statusCode = 400;
  override readonly refusal = 'validation';
  constructor(
    readonly issues: z.core.$ZodIssue[],
    readonly part: HttpPart,
  ) {
    super(`invalid request ${part}`);
  }
}

/**
 * zod's own safeParse reports a failure as a real Error, and capturing its stack was the largest
 * cost of a rejected body. The core parser takes the class to report with: this one only holds
 * the finalized issues (zod's $ZodError also sets up its message and formatting accessors).
 */
class ZodIssues {
  constructor(readonly issues: z.core.$ZodIssue[]) {}
}
const safeParse = z.core._safeParse(ZodIssues as unknown as z.core.$ZodErrorClass) as (
  schema: z.ZodType,
  value: unknown,
) => { success: true; data: unknown } | { success: false; error: ZodIssues };

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = safeParse(schema, data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(result.error.issues, (httpPart ?? 'body') as HttpPart) };
  };
