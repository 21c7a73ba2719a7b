// GET /_keyforge/requests/stream: the journal live, as Server-Sent Events — one event per vendor
// call (`id:` the entry id, `data:` the entry as /_keyforge/requests shows it), from every
// instance. The console reads it, and so can any tool (curl -N, an EventSource polyfill that
// sends headers). A client that reconnects with `Last-Event-ID` first gets the entries it missed
// that the journal still holds. Comment lines keep idle proxies from closing the connection, and
// closing the app ends every stream, so a graceful shutdown never waits on one.
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Journal, JournalEntry } from '../pipeline/journal.js';
import { vendorName } from './schemas.js';

export interface StreamOptions {
  journal: Journal;
  /** How often an idle stream gets a comment line. */
  heartbeatMs: number;
}

/** A reader this far behind is dropped; it reconnects with Last-Event-ID and catches up from the journal. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** What EventSource waits before reconnecting. */
const RETRY_MS = 1000;

export const streamRoutes: FastifyPluginAsync<StreamOptions> = async (instance, { journal, heartbeatMs }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const open = new Set<PassThrough>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get(
    '/_keyforge/requests/stream',
    {
      schema: {
        summary: 'The journal live, as Server-Sent Events: one event per vendor call, from every instance',
        description:
          'Each event has `id:` the entry id and `data:` one journal entry as `GET /_keyforge/requests` shows it. Lines starting with `:` are heartbeats. ' +
          'Reconnecting with `Last-Event-ID` first replays the entries after it that the journal still holds.',
        querystring: z.object({ vendor: vendorName.optional() }),
        headers: z.looseObject({ 'last-event-id': z.coerce.number().int().min(0).optional() }),
        response: {
          200: {
            description:
              'An endless event stream, e.g. `id: 7` `data: {"id":7,"vendor":"baseten",…}` and a blank line per call',
            content: { 'text/event-stream': { schema: z.string() } },
          },
        },
      },
    },
    async (request, reply) => {
      const { vendor } = request.query;
      const stream = new PassThrough();
      const write = (text: string) => {
        if (stream.writableEnded) return;
        stream.write(text);
        if (stream.writableLength > MAX_BUFFERED) stream.end();
      };
      const send = (entry: JournalEntry) => {
        if (vendor === undefined || entry.vendor === vendor)
          write(`id: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`);
      };

      // Subscribe before reading the backlog, holding live entries back until it is sent, so none
      // falls between. Ids only grow, across instances and restarts (the journal's storage sees to
      // it), so the replay is what came after Last-Event-ID; live entries are sent whatever it said
      // (a Last-Event-ID from another keyforge must not hide them).
      let held: JournalEntry[] | null = [];
      const unsubscribe = journal.subscribe((entry) => (held ? held.push(entry) : send(entry)));
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs).unref();
      const stop = () => {
        unsubscribe();
        clearInterval(heartbeat);
        open.delete(stream);
      };
      stream.once('close', stop);
      reply.raw.once('close', () => stream.destroy());
      open.add(stream);

      write(`retry: ${RETRY_MS}\n: connected\n\n`);
      const replayed = new Set<number>();
      const lastEventId = request.headers['last-event-id'];
      if (lastEventId !== undefined) {
        const missed = await journal.list({ vendor }).catch((err: Error) => {
          stream.destroy();
          throw err;
        });
        for (const entry of missed.reverse()) {
          if (entry.id <= lastEventId) continue;
          replayed.add(entry.id);
          send(entry);
        }
      }
      for (const entry of held) if (!replayed.has(entry.id)) send(entry);
      held = null;

      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          .header('x-accel-buffering', 'no')
          // The documented body is the text the stream carries; Fastify pipes the stream itself.
          .send(stream as unknown as string)
      );
    },
  );
};
