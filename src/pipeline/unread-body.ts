// The body of a call no parser read: refused in an onRequest hook (credentials first, as the
// vendors' frameworks do), a 405, an unsupported media type. The journal reads it itself,
// bounded: at most `max` bytes are kept and at most `waitMs` waited for, and whatever it does
// not keep is drained (discarded), as Node would drain it after the answer, so a kept-alive
// connection goes on with its next request. It never errors and always settles.
import type { IncomingMessage } from 'node:http';

export interface UnreadBody {
  /** At most `max` bytes of the body, from its start. */
  bytes: Buffer;
  /** Whether the body ended (every byte arrived) before the reading stopped. */
  complete: boolean;
  /** Bytes that arrived, kept or not. */
  received: number;
}

/** Whether a body is on its way that nobody has begun to read. */
export function hasUnreadBody(raw: IncomingMessage): boolean {
  if (raw.readableDidRead || raw.readableEnded || raw.destroyed) return false;
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The body at once when every byte its Content-Length declares is here already (a small body
 * comes right behind its headers): it waits in the stream's buffer, so no listener or timer is
 * needed. Undefined while some is still on its way, and for a chunked body.
 */
export function arrivedBody(raw: IncomingMessage, max: number): UnreadBody | undefined {
  const declared = Number(raw.headers['content-length']);
  if (raw.headers['transfer-encoding'] !== undefined || !(raw.readableLength >= declared)) return undefined;
  const bytes = (raw.read() as Buffer | null) ?? Buffer.alloc(0);
  return { bytes: bytes.length > max ? bytes.subarray(0, max) : bytes, complete: true, received: bytes.length };
}

export function readUnreadBody(raw: IncomingMessage, max: number, waitMs: number): Promise<UnreadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let received = 0;
    const stop = (complete: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onAbort);
      raw.off('close', onAbort);
      if (!complete) raw.resume(); // drain the rest, keeping nothing
      resolve({ bytes: Buffer.concat(chunks, kept), complete, received });
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (kept < max) {
        const part = chunk.subarray(0, max - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (received > max) stop(false);
    };
    const onEnd = () => stop(true);
    const onAbort = () => stop(false);
    const timer = setTimeout(onAbort, waitMs);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onAbort);
    raw.once('close', onAbort);
  });
}
