// The test clock as the whole page shows it (header badge, controls): read now and every few
// seconds (another client may move it), and set at once from the answer of a move.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import type { ClockState } from '../types.js';

export interface ClockHandle {
  clock: ClockState | null;
  /** Takes the state a clock call answered. */
  update(state: ClockState): void;
}

export function useClock(api: AdminApi): ClockHandle {
  const [clock, setClock] = useState<ClockState | null>(null);
  const load = useCallback(() => void api.clock().then(setClock, () => undefined), [api]);
  useEffect(() => {
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [load]);
  return { clock, update: setClock };
}
