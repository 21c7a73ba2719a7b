// Spring MVC's `produces = "application/json"` condition, and what Spring Boot answers when a
// request's Accept admits no JSON. RequestMappingInfoHandlerMapping.handleNoMatch throws
// HttpMediaTypeNotAcceptableException while mapping — after Spring Security, before any body is
// read, after a method mismatch (405) — and DefaultHandlerExceptionResolver sends 406 with its
// detail "Acceptable representations: [application/json]." and its `Accept: application/json`
// header. Spring Boot's /error then renders for the same Accept: BasicErrorController.errorHtml
// (produces text/html) writes the Whitelabel page for a client that accepts HTML; for any other,
// its JSON body is not acceptable either, and its mediaTypeNotAcceptable handler answers 406
// with no body. Matching follows MimeType.isCompatibleWith: q values do not exclude a type.
import type { FastifyReply, FastifyRequest } from 'fastify';

interface MediaRange {
  type: string;
  subtype: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** MediaType.parseMediaTypes, or null where Spring refuses the header ("Could not parse Accept header."). */
function parseAccept(header: string): MediaRange[] | null {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [range = '', ...params] = part.split(';').map((p) => p.trim());
    const [type = '', subtype, extra] = range.toLowerCase().split('/');
    if (
      subtype === undefined ||
      extra !== undefined ||
      !TOKEN.test(type) ||
      !TOKEN.test(subtype) ||
      (type === '*' && subtype !== '*')
    )
      return null;
    for (const param of params) {
      const [name = '', value] = param.split('=');
      if (value === undefined || !TOKEN.test(name.trim())) return null;
      const q = Number(value.trim());
      if (name.trim().toLowerCase() === 'q' && !(q >= 0 && q <= 1)) return null;
    }
    ranges.push({ type, subtype });
  }
  return ranges;
}

/** MimeType.isCompatibleWith for a concrete `type/subtype`: wildcards, and `*+suffix` subtypes. */
function compatible(range: MediaRange, type: string, subtype: string): boolean {
  if (range.type !== '*' && range.type !== type) return false;
  return (
    range.subtype === '*' ||
    range.subtype === subtype ||
    (range.subtype.startsWith('*+') && range.subtype.slice(2) === subtype)
  );
}

/** Java's Date.toString in UTC: `Thu Dec 03 17:15:23 UTC 2026`. */
function javaDate(date: Date): string {
  const [weekday, day, month, year] = date.toUTCString().replace(',', '').split(' '); // Thu 03 Dec 2026 17:15:23 GMT
  return `${weekday} ${month} ${day} ${date.toISOString().slice(11, 19)} UTC ${year}`;
}

/** Spring Boot's ErrorMvcAutoConfiguration StaticView, the Whitelabel page. */
function whitelabelPage(date: Date, status: number, error: string, message: string): string {
  return (
    '<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p>' +
    `<div id='created'>${javaDate(date)}</div><div>There was an unexpected error (type=${error}, status=${status}).</div><div>${message}</div></body></html>`
  );
}

/**
 * A route-level onRequest hook for mappings that produce JSON only: answers 406 as Spring Boot
 * does when the Accept header admits no JSON (or cannot be parsed).
 */
export async function refuseUnacceptable(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const accept = request.headers.accept;
  if (accept === undefined || accept.trim() === '') return undefined;
  const ranges = parseAccept(accept);
  if (ranges !== null && ranges.some((range) => compatible(range, 'application', 'json'))) return undefined;
  reply.code(406);
  if (ranges === null) return reply.send();
  reply.header('accept', 'application/json');
  if (!ranges.some((range) => range.type !== '*' && compatible(range, 'text', 'html'))) return reply.send();
  const page = whitelabelPage(
    request.server.clock(),
    406,
    'Not Acceptable',
    'Acceptable representations: [application/json].',
  );
  return reply.type('text/html;charset=UTF-8').send(page);
}
