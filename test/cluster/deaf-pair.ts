// Two instances on a fresh database where B reaches PostgreSQL through a TCP proxy that can
// silence its listening connection (test/support/tcp-proxy.ts): B keeps its pool but stops
// hearing the others. The fail-safe tests (listener, deaf faults, clock) start from this pair.
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startInstances, type Instance } from './support.js';

export interface DeafPair {
  /** On the database directly. */
  a: Instance;
  /** Through `proxy`. */
  b: Instance;
  proxy: TcpProxy;
}

/** Starts the pair before the file's tests and closes the proxy after them; call inside a describe. */
export function useDeafPair(): () => DeafPair {
  let pair: DeafPair | undefined;
  beforeAll(async () => {
    const db = new URL(await freshDatabase());
    const proxy = await startTcpProxy(Number(db.port || 5432));
    const throughProxy = new URL(db);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    const a = (await startInstances(db.toString(), ['a']))[0]!;
    const b = (await startInstances(throughProxy.toString(), ['b']))[0]!;
    pair = { a, b, proxy };
  }, 60_000);
  afterAll(() => pair?.proxy.close());
  return () => pair!;
}
