// Pipelined connections for the request path's single statements. node-postgres's pool runs one
// query per checked-out connection and costs ~115 µs of CPU per query here; a client in pipeline
// mode writes each query at once, without waiting for the one before, at ~60 µs (measured by
// `npm run bench`). Transactions stay on the pool. A connection that fails is replaced on the next
// query; while none can be opened, queries fail (and callers answer 503).
//
// The queries of one event-loop turn leave in one write: the connection's socket is corked until
// the turn's check phase. A write to a loopback socket costs a system call and a wake-up of the
// server, which under load cost more than the rest of a query.
import type { Writable } from 'node:stream';
import pg from 'pg';
import { clientConfig, type PostgresConnectionOptions } from './client.js';

export class Pipeline {
  private readonly clients: Array<Promise<pg.Client> | null>;
  private next = 0;
  private closed = false;

  constructor(
    private readonly options: Omit<PostgresConnectionOptions, 'poolSize'>,
    size: number,
  ) {
    this.clients = Array.from({ length: size }, () => null);
  }

  query<R extends unknown[] = unknown[]>(
    config: pg.QueryConfig & { rowMode: 'array' },
  ): Promise<pg.QueryArrayResult<R>> {
    const slot = this.next;
    this.next = (this.next + 1) % this.clients.length;
    return this.client(slot).then((client) => {
      this.corkForTurn(client);
      return client.query<R>(config);
    });
  }

  private readonly corked = new WeakSet<pg.Client>();

  private corkForTurn(client: pg.Client): void {
    if (this.corked.has(client)) return;
    // node-postgres keeps its socket on `connection.stream` (not in its types).
    const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    stream.cork();
    this.corked.add(client);
    setImmediate(() => {
      this.corked.delete(client);
      stream.uncork();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.clients.map((client) =>
        client
          ?.then(
            (c) => c.end(),
            () => undefined,
          )
          .catch(() => undefined),
      ),
    );
  }

  private client(slot: number): Promise<pg.Client> {
    let client = this.clients[slot];
    if (client) return client;
    if (this.closed) return Promise.reject(new Error('Client was closed and is not queryable'));
    const created = new pg.Client({ ...clientConfig(this.options), pipeline: true } as pg.ClientConfig);
    const forget = () => {
      if (this.clients[slot] === client) this.clients[slot] = null;
    };
    created.on('error', forget);
    created.on('end', forget);
    client = created.connect().then(
      () => created,
      (err: unknown) => {
        forget();
        throw err;
      },
    );
    this.clients[slot] = client;
    return client;
  }
}
