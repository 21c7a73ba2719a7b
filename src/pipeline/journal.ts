// The request journal: recent vendor calls, bounded, with secrets redacted (auth headers, and
// any key of the vendor's format in bodies), so a test can assert what it sent and what came
// back. Entries are kept by the storage (src/db/shared-state.ts): in memory for one process, in
// PostgreSQL for a cluster. It runs on every vendor call, so it does the least it can there: one
// callback hook at onSend, the request body as the dialect's parser read it (`request.rawBody`),
// latency from Fastify's own clock, and the time formatted only when the journal is read.
// Redaction happens at once: no clear secret waits to be stored. A refused call also records
// which check refused it, and its body even when no parser read it (unread-body.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JournalRecord, JournalRecords } from '../db/shared-state.js';
import type { JournalEntry } from './journal-entry.js';

export type { JournalEntry };
import type { Refusal } from '../expected-error.js';
import type { KeyFormat } from '../keys/formats.js';
import { TRANSIT_MSGPACK, transitMsgpackText } from './readable-body.js';
import { redactedHeaderLines, redactedReplyHeaderLines, redactText } from './redaction.js';
import { refusalOf, refusalOfError } from './refusal.js';
import { callerTenant } from './caller.js';
import { arrivedBody, hasUnreadBody, readUnreadBody, type UnreadBody } from './unread-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as a dialect's parser read it (set by every parser), for the journal. */
    rawBody: Buffer | string | null;
    /** vendorOf's answer, once asked: the route's vendor, '' for none, null before. */
    routeVendor: string | null;
    /** The check an error raised on this call stands for (set by the journal's onError hook). */
    refusedBy: Refusal | null;
  }
}

const MAX_BODY = 64 * 1024;
/** How long an answer waits for a body no parser read, so it can be journaled (a client sends it right after its headers). */
const UNREAD_BODY_WAIT_MS = 1000;
const TEXT_TYPES = /^(text\/|application\/(json|edn|transit\+json|[\w.+-]*\+json|x-www-form-urlencoded))/;

export class Journal {
  constructor(
    private readonly records: JournalRecords,
    private readonly capacity: number,
    private readonly instance: string,
    private readonly formatOf: (vendor: string) => KeyFormat | undefined,
    /** The test clock's time (epoch ms) while it is moved, else null: shown beside the real time. */
    private readonly emulatedNow: () => number | null = () => null,
  ) {}

  /** Newest first, from every instance. */
  async list(filter: { vendor?: string | undefined; limit?: number | undefined }): Promise<JournalEntry[]> {
    return (await this.records.list(filter)).map(entryOf);
  }

  /** Calls `listener` with each entry recorded from now on (by any instance); answers an unsubscribe. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    return this.records.subscribe((record) => listener(entryOf(record)));
  }

  /** Adds the hook that records every call to a vendor route. */
  install(app: FastifyInstance): void {
    app.decorateRequest('rawBody', null);
    app.decorateRequest('routeVendor', null);
    app.decorateRequest('refusedBy', null);
    if (this.capacity === 0) return;
    // Runs before the vendor's error handler turns the error into its answer.
    app.addHook('onError', (request, _reply, error, done) => {
      request.refusedBy = refusalOfError(error) ?? null;
      done();
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      const vendor = vendorOf(request);
      if (vendor === undefined) return done(null, payload);
      const format = this.formatOf(vendor);
      const responseType = (reply.getHeader('content-type') as string | undefined) || null;
      const principal = request.principal;
      // Fields written out, not spread: a literal of known shape is much cheaper to build.
      const entry = {
        at: Date.now(),
        emulatedAt: this.emulatedNow(),
        instance: this.instance,
        vendor,
        method: request.method,
        path: request.originalUrl, // as sent, before rewriteUrl
        status: reply.statusCode,
        latencyMs: reply.elapsedTime,
        tenant: callerTenant(request),
        keyId: principal !== null ? principal.key.id : null,
        requestHeaders: redactedHeaderLines(request.raw.rawHeaders),
        requestBody: null as string | null,
        responseHeaders: redactedReplyHeaderLines(reply.getHeaders()),
        responseType,
        responseBody: payloadText(payload, responseType, format),
        refusal: refusalOf(reply.statusCode, request.refusedBy),
      };
      // Refused before any parser ran (auth in onRequest, a 405, a 415): read what the client
      // sent — at once when it is all here, else bounded in size and time, answering once it is in.
      if (request.rawBody === null && hasUnreadBody(request.raw)) {
        const arrived = arrivedBody(request.raw, MAX_BODY);
        if (arrived !== undefined) {
          entry.requestBody = unreadBodyText(request, arrived, format);
          this.records.append(entry);
          return done(null, payload);
        }
        readUnreadBody(request.raw, MAX_BODY, UNREAD_BODY_WAIT_MS).then((unread) => {
          entry.requestBody = unreadBodyText(request, unread, format);
          this.records.append(entry);
          done(null, payload);
        });
        return;
      }
      entry.requestBody = requestBody(request, format);
      this.records.append(entry);
      done(null, payload);
    });
  }
}

/** A stored record as the admin API shows it: the time as ISO-8601, the headers as an object. */
function entryOf(e: JournalRecord): JournalEntry {
  return {
    id: e.id,
    time: new Date(e.at).toISOString(),
    emulatedTime: e.emulatedAt === null ? null : new Date(e.emulatedAt).toISOString(),
    instance: e.instance,
    vendor: e.vendor,
    method: e.method,
    path: e.path,
    status: e.status,
    latencyMs: e.latencyMs,
    tenant: e.tenant,
    keyId: e.keyId,
    refusal: e.refusal,
    request: { headers: headersFrom(e.requestHeaders), body: e.requestBody },
    response: { headers: headersFrom(e.responseHeaders), contentType: e.responseType, body: e.responseBody },
  };
}

/** What the parser read; a body Fastify itself began and gave up on (over the limit) is described by its length. */
function requestBody(request: FastifyRequest, format: KeyFormat | undefined): string | null {
  const raw = request.rawBody;
  const contentType = request.headers['content-type'];
  if (raw === null) {
    const length = Number(request.headers['content-length'] ?? 0);
    return length > 0 ? `[${length} bytes of ${contentType?.split(';')[0] ?? 'unknown type'}, not read]` : null;
  }
  if (raw.length === 0) return null;
  return describeBody(raw, contentType, Number(request.headers['content-length'] ?? raw.length), format);
}

/** A body read by the journal itself: as a parsed one, with a note when it did not all arrive in time. */
function unreadBodyText(
  request: FastifyRequest,
  { bytes, complete, received }: UnreadBody,
  format: KeyFormat | undefined,
): string | null {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (bytes.length === 0 && complete) return null;
  const size = Number.isFinite(declared) ? declared : received;
  const text = describeBody(bytes, request.headers['content-type'], Math.max(size, bytes.length), format);
  if (complete || size > MAX_BODY) return text;
  return `${text}…[${Number.isFinite(declared) ? `${declared - received} more bytes` : 'the rest'} did not arrive within ${UNREAD_BODY_WAIT_MS} ms]`;
}

/**
 * The dialect a call's route belongs to, or undefined (admin API, docs, unrouted). Several hooks
 * ask on every call, and Fastify's `routeOptions` builds a new object on each read, so the
 * answer is kept on the request.
 */
export function vendorOf(request: FastifyRequest): string | undefined {
  let vendor = request.routeVendor;
  if (vendor === null)
    vendor = request.routeVendor = (request.routeOptions.config as { vendor?: string } | undefined)?.vendor ?? '';
  return vendor === '' ? undefined : vendor;
}

/** Headers named the way Node names them: lower case, a repeated header's values joined with ", ". */
function headersFrom(lines: string): Record<string, string> {
  const headers = new Map<string, string>();
  const parts = lines === '' ? [] : lines.split('\n');
  for (let i = 0; i < parts.length; i += 2) {
    const name = parts[i]!.toLowerCase();
    const value = parts[i + 1] ?? '';
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return Object.fromEntries(headers);
}

function describeBody(
  body: Buffer | string,
  contentType: string | undefined,
  size: number,
  format: KeyFormat | undefined,
): string {
  if (contentType !== undefined && !TEXT_TYPES.test(contentType)) {
    // Shown decoded (as its transit+json text), then redacted like any text.
    const decoded =
      contentType.startsWith(TRANSIT_MSGPACK) && size <= MAX_BODY && typeof body !== 'string'
        ? transitMsgpackText(body)
        : undefined;
    return decoded === undefined ? `[${size} bytes of ${contentType.split(';')[0]}]` : redactText(decoded, format);
  }
  const text = typeof body === 'string' ? body.slice(0, MAX_BODY) : body.toString('utf8', 0, MAX_BODY);
  return redactText(text + (size > MAX_BODY ? `…[${size - MAX_BODY} more bytes]` : ''), format);
}

function payloadText(payload: unknown, contentType: string | null, format: KeyFormat | undefined): string | null {
  if (payload === null || payload === undefined || payload === '') return null;
  if (typeof payload === 'string') return redactText(payload.slice(0, MAX_BODY), format);
  if (Buffer.isBuffer(payload)) return describeBody(payload, contentType ?? undefined, payload.length, format);
  return '[streamed body]';
}
