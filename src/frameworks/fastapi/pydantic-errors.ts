// pydantic v2's validation errors, as FastAPI puts them in a 422 `detail` list (keys type, loc,
// msg, input, ctx; no url; every failure in field order), rendered from zod's issues. Apart from
// requests.ts, which reads bodies and picks FastAPI's answer to each error.
import type { z } from 'zod';
import type { HttpPart } from '../../http/validation.js';

export interface PydanticError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** FastAPI's name for each part of a request in `loc`. */
const LOC_ROOT: Record<HttpPart, string> = { body: 'body', params: 'path', querystring: 'query', headers: 'header' };

/** zod issues of one request part, rendered as pydantic v2 errors located under `body` (or `path`, ...). */
export function pydanticDetail(
  issues: readonly z.core.$ZodIssue[],
  body: unknown,
  part: HttpPart = 'body',
): PydanticError[] {
  return issues.map((issue) => pydanticError(issue, body, LOC_ROOT[part]));
}

/**
 * For a pydantic error zod has no code for (e.g. `uuid_parsing`): a schema adds a custom issue
 * with these params and it is rendered exactly as stated.
 */
export function pydanticParams(
  type: string,
  msg: string,
  ctx?: Record<string, unknown>,
): { pydantic: Omit<PydanticError, 'loc' | 'input'> } {
  return { pydantic: { type, msg, ...(ctx === undefined ? {} : { ctx }) } };
}

function pydanticError(issue: z.core.$ZodIssue, body: unknown, root: string): PydanticError {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const loc = [root, ...path];
  const input = valueAt(body, path);
  if (path.length === 0 && (body === null || body === undefined))
    return { type: 'missing', loc, msg: 'Field required', input: null };
  const parent = valueAt(body, path.slice(0, -1));
  if (path.length > 0 && isObject(parent) && !Object.hasOwn(parent, path[path.length - 1]!)) {
    return { type: 'missing', loc, msg: 'Field required', input: parent };
  }
  switch (issue.code) {
    case 'invalid_type': {
      const [type, msg] = TYPE_ERRORS[issue.expected] ?? ['value_error', `Value error, ${issue.message}`];
      return { type, loc, msg, input };
    }
    case 'too_small':
      return lengthError('string_too_short', 'at least', 'min_length', Number(issue.minimum), loc, input);
    case 'too_big':
      return lengthError('string_too_long', 'at most', 'max_length', Number(issue.maximum), loc, input);
    case 'invalid_format': {
      const pattern = regexSource(issue.format === 'regex' ? (issue as { pattern?: string }).pattern : undefined);
      return {
        type: 'string_pattern_mismatch',
        loc,
        msg: `String should match pattern '${pattern}'`,
        input,
        ctx: { pattern },
      };
    }
    case 'invalid_value': {
      const expected = pythonChoiceList(issue.values.map(String));
      return { type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } };
    }
    case 'custom': {
      const stated = (issue.params as ReturnType<typeof pydanticParams> | undefined)?.pydantic;
      if (stated) return { type: stated.type, loc, msg: stated.msg, input, ...(stated.ctx ? { ctx: stated.ctx } : {}) };
      return { type: 'value_error', loc, msg: `Value error, ${issue.message}`, input, ctx: { error: {} } };
    }
    default:
      // Model validators raising ValueError: FastAPI renders the exception in ctx as {}.
      return { type: 'value_error', loc, msg: `Value error, ${issue.message}`, input, ctx: { error: {} } };
  }
}

const TYPE_ERRORS: Record<string, [string, string]> = {
  object: ['model_attributes_type', 'Input should be a valid dictionary or object to extract fields from'],
  string: ['string_type', 'Input should be a valid string'],
  array: ['list_type', 'Input should be a valid list'],
  boolean: ['bool_type', 'Input should be a valid boolean'],
  number: ['float_type', 'Input should be a valid number'],
  int: ['int_type', 'Input should be a valid integer'],
};

function lengthError(
  type: string,
  bound: string,
  ctxKey: string,
  limit: number,
  loc: PydanticError['loc'],
  input: unknown,
): PydanticError {
  const unit = limit === 1 ? 'character' : 'characters';
  return { type, loc, msg: `String should have ${bound} ${limit} ${unit}`, input, ctx: { [ctxKey]: limit } };
}

/** Python's way of listing choices: 'a', 'b' or 'c'. */
function pythonChoiceList(values: string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function regexSource(pattern: string | undefined): string {
  if (!pattern) return '';
  const match = /^\/(.*)\/[a-z]*$/s.exec(pattern);
  return match ? match[1]! : pattern;
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
