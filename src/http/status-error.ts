// An error that carries the HTTP status to answer with. App-level hooks (faults, rate
// limits) throw it; every vendor's error handler renders it in that vendor's shape.
import { StatusError } from '../expected-error.js';

export { StatusError };

/** The status a vendor should answer for an error it has no specific rule for: its own 4xx/5xx, or 500. */
export function statusOf(error: unknown): number {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status > 599) return 500;
  return error instanceof StatusError || status < 500 ? status : 500;
}
