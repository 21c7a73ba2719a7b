// Reads GET /_keyforge/requests/stream with fetch() and a stream reader rather than EventSource,
// which cannot send an Authorization header (and the token must not go in the URL). Reconnects
// after a second when the stream ends or fails; `onConnected` says when a connection is
// subscribed, so the caller can read the backlog then and miss nothing, even across a restart
// of keyforge or a reset made elsewhere.

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface StreamEvent {
  id?: string;
  data: string;
}

/** Splits Server-Sent Events text, fed in arbitrary chunks, into events and comment lines. */
export class SseParser {
  private buffer = '';

  constructor(
    private readonly onEvent: (event: StreamEvent) => void,
    private readonly onComment: (text: string) => void = () => undefined,
  ) {}

  push(chunk: string): void {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data: string[] = [];
      const event: StreamEvent = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.onComment(line.slice(1).trim());
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (line.startsWith('id:')) event.id = line.slice(3).trim();
      }
      if (data.length > 0) this.onEvent({ ...event, data: data.join('\n') });
    }
  }
}

export interface FollowOptions {
  token: string;
  /** Each connection, once the server is sending it every new entry. */
  onConnected(): void;
  onEvent(data: string): void;
  onState(state: StreamState): void;
  onUnauthorized(): void;
}

const RECONNECT_MS = 1000;

/** Follows the stream until the answered function is called. */
export function followJournal({ token, onConnected, onEvent, onState, onUnauthorized }: FollowOptions): () => void {
  const abort = new AbortController();
  const run = async () => {
    onState('connecting');
    while (!abort.signal.aborted) {
      try {
        const response = await fetch('/_keyforge/requests/stream', {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          cache: 'no-store',
          signal: abort.signal,
        });
        if (response.status === 401) return onUnauthorized();
        if (response.ok && response.body) {
          const parser = new SseParser(
            (event) => onEvent(event.data),
            (comment) => {
              if (comment !== 'connected') return;
              onState('live');
              onConnected();
            },
          );
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.push(chunk.value);
        }
      } catch {
        // Network error or abort: retried below unless stopped.
      }
      if (abort.signal.aborted) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };
  void run();
  return () => abort.abort();
}
