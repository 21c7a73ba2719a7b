// Which check refused a vendor call, for the request journal: a 401 is exactly when a user needs
// to see what the client sent and why it was turned away. keyforge's own refusals name their
// check (`refusal` on the error classes: credentials, permission, validation, body, faults…);
// Fastify's body errors are named by their code; an answer sent without an error (a 404 for
// no route, a framework's 405) is named by its status.
import type { Refusal } from '../expected-error.js';

const FASTIFY_CODES: Record<string, Refusal> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'media type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body',
  FST_ERR_CTP_INVALID_TYPE: 'body',
  FST_ERR_VALIDATION: 'validation',
};

const BY_STATUS: Record<number, Refusal> = {
  400: 'validation',
  401: 'authentication',
  403: 'permission',
  404: 'not found',
  405: 'method',
  406: 'not acceptable',
  409: 'conflict',
  413: 'body too large',
  415: 'media type',
  422: 'validation',
  429: 'rate limit',
  503: 'unavailable',
};

/** The check an error stands for, if it names one. */
export function refusalOfError(error: unknown): Refusal | undefined {
  const named = (error as { refusal?: unknown } | null)?.refusal;
  if (typeof named === 'string') return named as Refusal;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
}

/** The refusal to journal for an answer: the error's check, else one read from the status; null for a success. */
export function refusalOf(status: number, error: Refusal | null): Refusal | null {
  if (status < 400) return null;
  return error ?? BY_STATUS[status] ?? (status >= 500 ? 'server error' : 'request');
}
