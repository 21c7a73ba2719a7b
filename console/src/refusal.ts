// Why a call was refused, for the detail view: the check the journal names when it knows it,
// else what the status means in keyforge's emulation, with the vendor's own error message.
import type { JournalEntry } from './types.js';

const BY_STATUS: Record<number, string> = {
  400: 'request validation: the body or parameters are malformed',
  401: 'authentication: the credential is missing, unknown, revoked or expired',
  403: 'authorization: the credential is valid but may not do this (role, type or scope)',
  404: 'not found: no such resource for this tenant (another tenant’s look the same)',
  405: 'method not allowed on this path',
  406: 'content negotiation: no media type in Accept that the vendor answers in',
  409: 'conflict: a key of that name exists already',
  413: 'body too large (--body-limit)',
  415: 'content type: the vendor does not read this Content-Type',
  422: 'request validation: a field is missing, of the wrong type or out of range',
  429: 'rate limit (--rate-limit): too many calls with this credential this minute',
};

export interface Refusal {
  check: string;
  message: string | null;
}

export function refusalOf(entry: JournalEntry): Refusal | null {
  if (entry.status < 400) return null;
  const message = errorMessage(entry.response.body);
  if (message !== null && message.includes('fault injected by keyforge'))
    return { check: 'an injected fault (Controls)', message };
  const check = entry.refusal ?? BY_STATUS[entry.status] ?? (entry.status >= 500 ? 'server error' : 'refused');
  return { check, message };
}

/** The message of an error body in any vendor's shape ({message}, {detail}, FastAPI's detail list, reitit's humanized). */
export function errorMessage(body: string | null): string | null {
  if (body === null || body === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.length > 300 ? `${body.slice(0, 300)}…` : body;
  }
  return findMessage(parsed) ?? null;
}

function findMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    // transit+json maps are ["^ ", k, v, …]
    if (value[0] === '^ ') {
      for (let i = 1; i < value.length; i += 2)
        if (/message|detail|error/.test(String(value[i]))) return findMessage(value[i + 1]);
      return undefined;
    }
    const messages = value.map(findMessage).filter((m) => m !== undefined);
    return messages.length > 0 ? messages.join('; ') : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of ['message', 'msg', 'detail', 'humanized', 'error']) {
      const found = record[key] === undefined ? undefined : findMessage(record[key]);
      if (found !== undefined)
        return key === 'msg' && Array.isArray(record.loc) ? `${record.loc.join('.')}: ${found}` : found;
    }
  }
  return undefined;
}
