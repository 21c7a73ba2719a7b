// The request journal: a bounded ring buffer of recent vendor calls, with secrets redacted
// (auth headers, and any key of the vendor's format in bodies), so a test can assert what it
// sent and what came back. Lives on the app instance, never global.
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KeyFormat } from '../keys/formats.js';
import { SECRET_HEADERS } from '../vendors/index.js';

export interface JournalEntry {
  id: number;
  time: string;
  vendor: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  request: { headers: Record<string, string>; body: string | null };
  response: { contentType: string | null; body: string | null };
}

const SECRET_HEADER_SET = new Set(SECRET_HEADERS);
const MAX_BODY = 64 * 1024;
const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]+/g;
const TEXT_TYPES = /^(text\/|application\/(json|edn|transit\+json|[\w.+-]*\+json|x-www-form-urlencoded))/;

interface Pending {
  started: bigint;
  chunks: Buffer[];
  size: number;
}

export class Journal {
  private readonly entries: JournalEntry[] = [];
  private nextId = 1;
  private readonly pending = new WeakMap<FastifyRequest, Pending>();

  constructor(
    private readonly capacity: number,
    private readonly formatOf: (vendor: string) => KeyFormat | undefined,
  ) {}

  list(filter: { vendor?: string; limit?: number }): JournalEntry[] {
    const matching = this.entries.filter((e) => filter.vendor === undefined || e.vendor === filter.vendor);
    return matching.reverse().slice(0, filter.limit ?? matching.length);
  }

  clear(vendor?: string): void {
    const kept = vendor === undefined ? [] : this.entries.filter((e) => e.vendor !== vendor);
    this.entries.splice(0, this.entries.length, ...kept);
  }

  /** Adds the hooks that record every call to a vendor route. */
  install(app: FastifyInstance): void {
    if (this.capacity === 0) return;
    // Callback-style hooks: they run on every vendor call, and a promise per hook shows.
    app.addHook('onRequest', (request, _reply, done) => {
      if (vendorOf(request)) this.pending.set(request, { started: process.hrtime.bigint(), chunks: [], size: 0 });
      done();
    });
    // Tee the raw body as it streams to the parser, so even undecodable bodies are journaled.
    app.addHook('preParsing', async (request, _reply, payload) => {
      const pending = this.pending.get(request);
      if (!pending || !hasBody(request)) return payload;
      // A Transform, not a 'data' listener: a listener would start the flow before the body
      // parser attaches, and it would miss the first chunks.
      const tee = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          if (pending.size < MAX_BODY) pending.chunks.push(chunk);
          pending.size += chunk.length;
          callback(null, chunk);
        },
      });
      payload.on('error', (err) => tee.destroy(err));
      return payload.pipe(tee);
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      const pending = this.pending.get(request);
      if (!pending) return done(null, payload);
      this.pending.delete(request);
      const vendor = vendorOf(request)!;
      const format = this.formatOf(vendor);
      const responseType = String(reply.getHeader('content-type') ?? '') || null;
      this.push({
        id: this.nextId++,
        time: new Date().toISOString(),
        vendor,
        method: request.method,
        path: request.url,
        status: reply.statusCode,
        latencyMs: Number(process.hrtime.bigint() - pending.started) / 1e6,
        request: {
          headers: redactHeaders(request.headers),
          body: pending.size === 0 ? null : describeBody(Buffer.concat(pending.chunks), request.headers['content-type'], pending.size, format),
        },
        response: { contentType: responseType, body: payloadText(payload, responseType, format) },
      });
      done(null, payload);
    });
  }

  private push(entry: JournalEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
  }
}

/** A request with no body needs no tee (a stream per request is the journal's main cost). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function vendorOf(request: FastifyRequest): string | undefined {
  return (request.routeOptions.config as { vendor?: string } | undefined)?.vendor;
}

function redactHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (!SECRET_HEADER_SET.has(name)) out[name] = text;
    else out[name] = name === 'authorization' && /^\S+ \S/.test(text) ? `${text.split(' ')[0]} [redacted]` : '[redacted]';
  }
  return out;
}

function describeBody(bytes: Buffer, contentType: string | undefined, size: number, format: KeyFormat | undefined): string {
  if (contentType !== undefined && !TEXT_TYPES.test(contentType)) return `[${size} bytes of ${contentType.split(';')[0]}]`;
  const text = bytes.toString('utf8') + (size > bytes.length ? `…[${size - bytes.length} more bytes]` : '');
  return redactText(text, format);
}

function payloadText(payload: unknown, contentType: string | null, format: KeyFormat | undefined): string | null {
  if (payload === null || payload === undefined || payload === '') return null;
  if (typeof payload === 'string') return redactText(payload.slice(0, MAX_BODY), format);
  if (Buffer.isBuffer(payload)) return describeBody(payload.subarray(0, MAX_BODY), contentType ?? undefined, payload.length, format);
  return '[streamed body]';
}

/** Each format's pattern as a global regex, compiled once. */
const globalPatterns = new WeakMap<KeyFormat, RegExp>();

export function redactText(text: string, format: KeyFormat | undefined): string {
  let pattern = format && globalPatterns.get(format);
  if (format && !pattern) globalPatterns.set(format, (pattern = new RegExp(format.pattern.source, 'g')));
  const withoutKeys = pattern ? text.replace(pattern, '[redacted]') : text;
  return withoutKeys.replace(JWT, '[redacted]');
}
