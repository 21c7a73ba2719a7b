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

/**
 * Registering a catch-all parser (every Content-Type: the vendor's framework decides what it
 * accepts, not Fastify) under these names: Fastify remembers which parser a Content-Type string
 * maps to only for named types, and re-parses the header on every request for the catch-all.
 */
export const ANY_CONTENT_TYPE = ['*', 'application/json'];
