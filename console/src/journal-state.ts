// The journal as the page holds it: the newest entries first (a bounded list), followed live over
// the stream. Each time the stream connects, the backlog is read again and replaces what the
// page held (merged with what arrived since connecting), so a keyforge restart or a reset made
// elsewhere never leaves stale or missing rows. Lives at the top of the app, so switching views
// keeps it.
import { useEffect, useState } from 'preact/hooks';
import type { AdminApi } from './api.js';
import { followJournal, type StreamState } from './event-stream.js';
import type { JournalEntry } from './types.js';

const KEPT = 1000;
const BACKLOG = 200;

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
    /** What this connection brought, kept to merge with its backlog. */
    let sinceConnected: JournalEntry[] = [];
    return followJournal({
      token: api.token,
      onConnected: () => {
        const live = (sinceConnected = []);
        api.requests(BACKLOG).then(
          (backlog) => setEntries(newestFirst([...live, ...backlog])),
          () => undefined, // the admin client signs out on a 401; otherwise the next connection retries
        );
      },
      onEvent: (data) => {
        const entry = JSON.parse(data) as JournalEntry;
        sinceConnected.push(entry);
        setEntries((current) => newestFirst([entry, ...current]));
      },
      onState: setStream,
      onUnauthorized: () => void api.faults().catch(() => undefined), // an admin call answered 401 signs out
    });
  }, [api]);

  const forget = (vendor?: string) =>
    setEntries((current) => (vendor === undefined ? [] : current.filter((e) => e.vendor !== vendor)));
  return { entries, stream, forget };
}

/** One entry per id, newest (highest id) first, at most KEPT. */
function newestFirst(entries: JournalEntry[]): JournalEntry[] {
  const byId = new Map<number, JournalEntry>();
  for (const entry of entries) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, KEPT);
}
