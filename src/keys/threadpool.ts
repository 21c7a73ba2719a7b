// argon2 hashes run on libuv's threadpool. With every core hashing, the main thread — which
// answers every request, fast ones included — got only a fair share of a core, so creates at
// the fast profile queued behind their own hashing (measured: +20-25% creates/s once the pool
// yields). The pool's threads are therefore lowered in priority (nice +10, which a process may
// always do to its own threads): the event loop comes first, hashing takes the rest of the CPU.
// Linux only, best effort. The pool's threads are the ones that appear when it starts.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

const POOL_NICENESS = 10;
let lowered: Promise<number> | undefined;

/**
 * Starts the threadpool with `firstWork` (something that runs on it) and lowers the priority of
 * the threads that appeared meanwhile. Once per process; answers how many threads were lowered
 * (0 where the pool was already running, or off Linux).
 */
export function lowerThreadpoolPriority(firstWork: () => Promise<unknown>): Promise<number> {
  lowered ??= (async () => {
    const before = threadIds();
    await firstWork();
    let count = 0;
    for (const tid of threadIds()) {
      if (before.has(tid)) continue;
      try {
        setPriority(tid, POOL_NICENESS);
        count++;
      } catch {
        // not permitted or gone: hashing simply keeps its normal priority
      }
    }
    return count;
  })();
  return lowered;
}

function threadIds(): Set<number> {
  try {
    return new Set(readdirSync('/proc/self/task').map(Number));
  } catch {
    return new Set(); // no /proc: nothing new is ever found
  }
}
