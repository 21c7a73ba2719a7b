// A TCP proxy on 127.0.0.1 in front of PostgreSQL that can make keyforge's listening
// connections (the ones that send `listen keyforge`) go silent, now and as they are reopened:
// nothing passes either way and nothing is closed, like a network that drops packets.
import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Listening connections, open and future, go silent; answers how many were open. */
  silenceListeners(): number;
  /** New listening connections pass again. */
  allowListeners(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let silencing = false;
  const listening = new Set<{ silent: boolean }>();
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const server = connect(targetPort, '127.0.0.1');
    const pair = { silent: false };
    sockets.add(client).add(server);
    client.on('data', (chunk) => {
      if (/listen keyforge/i.test(chunk.toString('latin1'))) {
        listening.add(pair);
        if (silencing) pair.silent = true;
      }
      if (!pair.silent) server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (!pair.silent) client.write(chunk);
    });
    const end = () => {
      listening.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as { port: number }).port,
    silenceListeners() {
      silencing = true;
      for (const pair of listening) pair.silent = true;
      return listening.size;
    },
    allowListeners() {
      silencing = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
