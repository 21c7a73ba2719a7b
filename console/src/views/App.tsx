// The shell: sign-in until a token works, then three views over one admin API client. Health is
// polled, so an outage shows as one (a banner, the stream badge) rather than as empty views.
import { useCallback, useMemo, useState } from 'preact/hooks';
import { AdminApi } from '../api.js';
import { useJournal } from '../journal-state.js';
import { forgetToken, storedToken, takeTokenFromFragment } from '../token.js';
import type { Health } from '../types.js';
import { offset } from '../format.js';
import { Controls } from './Controls.js';
import { Journal } from './Journal.js';
import { Keys } from './Keys.js';
import { SignIn } from './SignIn.js';
import { useClock } from './useClock.js';
import { usePolling } from './usePolling.js';

// Read before the first render, so the token never stays in the address bar.
takeTokenFromFragment();

type View = 'journal' | 'keys' | 'controls';
const VIEWS: Array<{ id: View; label: string }> = [
  { id: 'journal', label: 'Journal' },
  { id: 'keys', label: 'Keys & tenants' },
  { id: 'controls', label: 'Clock, faults & reset' },
];

export function App() {
  const [token, setToken] = useState<string | null>(storedToken());
  const signOut = () => {
    forgetToken();
    setToken(null);
  };
  if (token === null) return <SignIn onSignedIn={setToken} />;
  return <SignedIn token={token} onSignOut={signOut} />;
}

function SignedIn({ token, onSignOut }: { token: string; onSignOut(): void }) {
  const api = useMemo(() => new AdminApi(token, onSignOut), [token]);
  const journal = useJournal(api);
  const clock = useClock(api);
  const [view, setView] = useState<View>('journal');
  const loadHealth = useCallback(() => api.health(), [api]);
  const { value: health, error: unreachable } = usePolling<Health>(loadHealth, HEALTH_EVERY_MS);
  const vendors = health?.vendors ?? [];
  const databaseDown = unreachable === null && health?.databaseDown === true;

  return (
    <div class="app">
      <header class="topbar">
        <h1>keyforge console</h1>
        {health && <span class="version">v{health.version}</span>}
        <nav class="tabs" role="tablist">
          {VIEWS.map(({ id, label }) => (
            <button
              key={id}
              role="tab"
              aria-selected={view === id}
              class={view === id ? 'tab active' : 'tab'}
              onClick={() => setView(id)}
            >
              {label}
            </button>
          ))}
        </nav>
        {clock.clock && clock.clock.offsetMs !== 0 && (
          <button
            class="clock-badge"
            title={`the test clock is moved: it is ${clock.clock.now}`}
            onClick={() => setView('controls')}
          >
            clock {offset(clock.clock.offsetMs)}
          </button>
        )}
        {/* The stream stays open while the database is down, but nothing can be journaled then. */}
        <span
          class={databaseDown ? 'stream stream-down' : `stream stream-${journal.stream}`}
          title="the journal stream"
        >
          {databaseDown ? 'database unavailable' : journal.stream}
        </span>
        <button class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        <Outage health={health} unreachable={unreachable} />
        {view === 'journal' && <Journal entries={journal.entries} vendors={vendors} />}
        {view === 'keys' && <Keys api={api} vendors={vendors} latestCall={journal.entries[0]?.id} />}
        {view === 'controls' && <Controls api={api} vendors={vendors} clock={clock} onReset={journal.forget} />}
      </main>
    </div>
  );
}

const HEALTH_EVERY_MS = 2000;

/** What is wrong, said once above every view: views then show their last data, not an empty one. */
function Outage({ health, unreachable }: { health: Health | null; unreachable: string | null }) {
  if (unreachable !== null)
    return (
      <p class="outage" role="alert">
        keyforge does not answer ({unreachable}); the views show what they last loaded.
      </p>
    );
  if (health?.databaseDown)
    return (
      <p class="outage" role="alert">
        <strong>Database unavailable</strong> — {health.reason}. Vendor and admin calls answer 503 until it is back
        (keyforge reconnects by itself); the views show what they last loaded.
      </p>
    );
  if (health?.status === 'degraded')
    return (
      <p class="degraded" role="status">
        Degraded: {health.reason}.
      </p>
    );
  return null;
}
