// A bare HTTP/1.1 client for the differential replay: it writes exactly the bytes it is given
// (any method, empty path segments, Expect headers, bodies in any encoding) — which Node's own
// client and fetch refuse or rewrite — and reads one answer per request over a kept-alive
// connection, skipping interim 1xx answers.
import { connect, type Socket } from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target as sent: path and query, not normalised. */
  target: string;
  /** In the order written; names as given. */
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const NO_ANSWER = 'connection closed without an answer';

export class RawHttpClient {
  private socket: Socket | null = null;
  private buffered = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended = false;

  constructor(
    private readonly port: number,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Sends one request and reads its answer. The connection is reopened when the server closed
   * it, and the request sent again once when a kept-alive connection closed before any answer
   * (the server had closed it while the request was on its way, as HTTP clients allow for).
   */
  async send(request: RawRequest): Promise<RawResponse> {
    const reused = this.socket !== null && !this.ended;
    try {
      return await this.exchange(request);
    } catch (err) {
      if (!reused || (err as Error).message !== NO_ANSWER) throw err;
      return this.exchange(request);
    }
  }

  private async exchange(request: RawRequest): Promise<RawResponse> {
    const socket = await this.connection();
    const head = [
      `${request.method} ${request.target} HTTP/1.1`,
      ...request.headers.map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    ].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), request.body ?? Buffer.alloc(0)]));
    const deadline = Date.now() + this.timeoutMs;
    try {
      for (;;) {
        const response = await this.readResponse(request.method, deadline);
        if (response.status >= 200 || response.status === 101) {
          // An answer given before the whole request was read, or one the server ends the
          // connection after, leaves nothing reusable on this connection.
          if (
            response.headers.connection?.toLowerCase() === 'close' ||
            request.headers.some(([name]) => name.toLowerCase() === 'expect') ||
            this.buffered.length > 0
          )
            this.close();
          return response;
        }
      }
    } catch (err) {
      this.close();
      throw err;
    }
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
    this.buffered = Buffer.alloc(0);
  }

  private async connection(): Promise<Socket> {
    if (this.socket && !this.ended) return this.socket;
    this.close();
    this.ended = false;
    const socket = connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    const end = () => {
      if (this.socket === socket) this.ended = true;
      this.wake();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
    this.socket = socket;
    return socket;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Waits for more bytes; false when the connection ended instead. */
  private async more(deadline: number): Promise<boolean> {
    if (this.ended) return false;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error('no answer in time');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, remaining);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    if (Date.now() >= deadline && !this.ended) throw new Error('no answer in time');
    return true;
  }

  private take(length: number): Buffer {
    const part = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return part;
  }

  private async readResponse(method: string, deadline: number): Promise<RawResponse> {
    let end: number;
    while ((end = this.buffered.indexOf(HEAD_END)) < 0) {
      if (!(await this.more(deadline)))
        throw new Error(this.buffered.length === 0 ? NO_ANSWER : 'connection closed inside an answer');
    }
    const [statusLine = '', ...lines] = this.take(end + 4)
      .toString('latin1')
      .slice(0, -4)
      .split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
    if (Number.isNaN(status)) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodiless = method === 'HEAD' || status < 200 || status === 204 || status === 304;
    if (bodiless) return { status, headers, body: Buffer.alloc(0) };
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked'))
      return { status, headers, body: await this.readChunked(deadline) };
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      while (this.buffered.length < length) {
        if (!(await this.more(deadline))) throw new Error('connection closed inside a body');
      }
      return { status, headers, body: this.take(length) };
    }
    while (await this.more(deadline));
    return { status, headers, body: this.take(this.buffered.length) };
  }

  private async readChunked(deadline: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      let lineEnd: number;
      while ((lineEnd = this.buffered.indexOf('\r\n')) < 0) {
        if (!(await this.more(deadline))) throw new Error('connection closed inside a chunk');
      }
      const size = parseInt(this.take(lineEnd + 2).toString('latin1'), 16);
      while (this.buffered.length < size + 2) {
        if (!(await this.more(deadline))) throw new Error('connection closed inside a chunk');
      }
      const chunk = this.take(size + 2).subarray(0, size);
      if (size === 0) return Buffer.concat(parts); // no trailers are sent to us
      parts.push(chunk);
    }
  }
}
