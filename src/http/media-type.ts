// `application/json` and `application/*+json`, with parameters and any case: the JSON media
// types FastAPI and Spring both accept. Asked on every request with a body, so answers are
// remembered per Content-Type string (clients send a handful; the memo stays small).
const answers = new Map<string, boolean>();
const MAX_REMEMBERED = 256;

export function isJsonMediaType(contentType: string): boolean {
  let answer = answers.get(contentType);
  if (answer === undefined) {
    const [type = '', subtype = ''] = contentType.split(';')[0]!.trim().toLowerCase().split('/');
    answer = type === 'application' && (subtype === 'json' || subtype.endsWith('+json'));
    if (answers.size >= MAX_REMEMBERED) answers.clear();
    answers.set(contentType, answer);
  }
  return answer;
}

const TOKEN = /^[\w!#$%&'*+.^`|~-]+$/;
const validity = new Map<string, boolean>();

/**
 * Whether Fastify can parse a Content-Type at all (a `type/subtype` of tokens before any
 * parameters): it answers 415 before any body parser runs when it cannot.
 */
export function isParseableMediaType(contentType: string): boolean {
  let answer = validity.get(contentType);
  if (answer === undefined) {
    const [type = '', subtype] = contentType.split(';')[0]!.split('/');
    answer =
      subtype !== undefined &&
      TOKEN.test(type.trimStart()) &&
      TOKEN.test(subtype.trimEnd()) &&
      !contentType
        .split(';')[0]!
        .slice(type.length + 1)
        .includes('/');
    if (validity.size >= MAX_REMEMBERED) validity.clear();
    validity.set(contentType, answer);
  }
  return answer;
}

/**
 * Registering a catch-all parser (every Content-Type: the vendor's framework decides what it
 * accepts, not Fastify) under these names: Fastify remembers which parser a Content-Type string
 * maps to only for named types, and re-parses the header on every request for the catch-all.
 */
export const ANY_CONTENT_TYPE = ['*', 'application/json'];
