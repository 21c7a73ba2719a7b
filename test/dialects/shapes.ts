// Answer shapes more than one vendor description (or the admin API's checks) share: the error
// bodies of the frameworks the vendors run on, and reading an answer's JSON.
import type { LightMyRequestResponse } from 'fastify';

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const keysAre = (v: unknown, keys: string[]) =>
  isRecord(v) && Object.keys(v).sort().join() === [...keys].sort().join();

/** The answer's body as JSON, or undefined when it is none. */
export function json(res: LightMyRequestResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

/** `{error, message}`: Basic, the admin API and keyforge's own 404 for unknown paths. */
export function twoFieldError(body: unknown): boolean {
  return (
    keysAre(body, ['error', 'message']) &&
    typeof (body as { error: unknown }).error === 'string' &&
    typeof (body as { message: unknown }).message === 'string'
  );
}

/** FastAPI's `{detail}`: a string, or pydantic's list of `{type, loc, msg, input, ctx?}`. */
function fastApiError(body: unknown): boolean {
  if (!keysAre(body, ['detail'])) return false;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === 'string') return true;
  return (
    Array.isArray(detail) &&
    detail.length > 0 &&
    detail.every(
      (e) =>
        isRecord(e) && typeof e.type === 'string' && Array.isArray(e.loc) && typeof e.msg === 'string' && 'input' in e,
    )
  );
}

/** A FastAPI error answer: `{detail}` as JSON (Baseten, Imtegrate). */
export const fastApiErrorAnswer = (res: LightMyRequestResponse) =>
  fastApiError(json(res)) && String(res.headers['content-type']).startsWith('application/json');

/** Spring Boot's `{timestamp, status, error, message, path}` (Peaka). */
export function springError(body: unknown, status: number): boolean {
  if (!keysAre(body, ['timestamp', 'status', 'error', 'message', 'path'])) return false;
  const b = body as Record<string, unknown>;
  return (
    b.status === status &&
    typeof b.timestamp === 'string' &&
    typeof b.error === 'string' &&
    typeof b.message === 'string' &&
    typeof b.path === 'string'
  );
}

/** OPTIONS answered by the framework (reitit, Spring MVC): 200, an Allow header, no body. */
export const frameworkOptionsAnswer = (res: LightMyRequestResponse) =>
  res.statusCode === 200 && res.body === '' && typeof res.headers.allow === 'string';
