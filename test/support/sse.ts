// A plain HTTP client for Server-Sent Events (node:http, no EventSource library): opens a
// stream, splits it into events and comment lines, and waits for the ones a test expects.
import http from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `count` events have arrived (rejects after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  waitForComment(text: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('data: ')) data.push(line.slice(6));
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
          }
          if (data.length > 0) events.push({ ...event, data: data.join('\n') });
        }
        for (const wake of waiters) wake();
      });
      const ended = new Promise<void>((done) => response.once('end', done).once('close', done));
      const waitFor = (ready: () => boolean, what: string, timeoutMs: number) =>
        new Promise<void>((done, fail) => {
          const check = () => {
            if (!ready()) return;
            waiters.delete(check);
            clearTimeout(timer);
            done();
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(
              new Error(
                `timed out waiting for ${what}; got ${events.length} events, comments ${JSON.stringify(comments)}`,
              ),
            );
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        ended,
        waitForEvents: async (count, timeoutMs = 5000) => {
          await waitFor(() => events.length >= count, `${count} events`, timeoutMs);
          return events.slice(0, count);
        },
        waitForComment: (text, timeoutMs = 5000) =>
          waitFor(() => comments.includes(text), `comment "${text}"`, timeoutMs),
        close: () => request.destroy(),
      });
    });
    request.once('error', reject);
  });
}
