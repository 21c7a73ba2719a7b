// The journal as the page holds it: the newest entries first (a bounded list), loaded once and
// then followed live over the stream. Lives at the top of the app, so switching views keeps it.
import { useEffect, useState } from 'preact/hooks';
import type { AdminApi } from './api.js';
import { followJournal, type StreamState } from './event-stream.js';
import type { JournalEntry } from './types.js';

const KEPT = 1000;

export interface JournalState {
  entries: JournalEntry[];
  stream: StreamState;
  /** Forgets what a reset wiped on the server too (all vendors, or one). */
  forget(vendor?: string): void;
}

export function useJournal(api: AdminApi): JournalState {
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [stream, setStream] = useState<StreamState>('connecting');

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    // The backlog first, then the stream after its newest id: the server replays what came between.
    api.requests(200).then(
      (backlog) => {
        if (cancelled) return;
        setEntries(backlog);
        stop = followJournal({
          token: api.token,
          after: backlog[0]?.id ?? 0,
          onEvent: (data) => {
            const entry = JSON.parse(data) as JournalEntry;
            setEntries((current) => (current.some((e) => e.id === entry.id) ? current : [entry, ...current].slice(0, KEPT)));
          },
          onState: setStream,
          onUnauthorized: () => undefined, // the next admin call signs out
        });
      },
      () => setStream('reconnecting'),
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [api]);

  const forget = (vendor?: string) => setEntries((current) => (vendor === undefined ? [] : current.filter((e) => e.vendor !== vendor)));
  return { entries, stream, forget };
}
