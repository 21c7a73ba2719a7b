// The test clock: where it stands, move it by an ISO-8601 duration or to a date, or back to real
// time. Expiry checks, timestamps in vendor answers and rate-limit windows all follow it.
import { useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import { dateTime, offset } from '../format.js';
import type { ClockHandle } from './useClock.js';

const STEPS = ['PT1H', 'P1D', 'P30D'];

export function Clock({ api, handle }: { api: AdminApi; handle: ClockHandle }) {
  const [duration, setDuration] = useState('PT2H');
  const [at, setAt] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const act = (work: Promise<Parameters<ClockHandle['update']>[0]>) =>
    work.then(
      (state) => {
        setFailure(null);
        handle.update(state);
      },
      (err: Error) => setFailure(err.message),
    );
  const clock = handle.clock;
  const moved = clock !== null && clock.offsetMs !== 0;

  return (
    <div class="card clock">
      <h2>Test clock</h2>
      <p class="note">
        {clock === null ? (
          'Reading the clock…'
        ) : moved ? (
          <>
            Moved {offset(clock.offsetMs)}: it is {dateTime(clock.now)} for every expiry, timestamp and rate-limit
            window.
          </>
        ) : (
          <>On real time: {dateTime(clock.now)}.</>
        )}
      </p>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          act(api.moveClock({ advance: duration.trim() }));
        }}
      >
        <label>
          Advance by (ISO-8601)
          <input
            name="clock-advance"
            value={duration}
            onInput={(e) => setDuration(e.currentTarget.value)}
            placeholder="PT2H"
          />
        </label>
        <button type="submit">Advance</button>
        {STEPS.map((step) => (
          <button key={step} type="button" class="small" onClick={() => act(api.moveClock({ advance: step }))}>
            +{step}
          </button>
        ))}
      </form>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          act(api.moveClock({ at: at.trim() }));
        }}
      >
        <label>
          Set to (ISO-8601 date-time)
          <input
            name="clock-at"
            value={at}
            onInput={(e) => setAt(e.currentTarget.value)}
            placeholder="2030-01-01T00:00:00Z"
          />
        </label>
        <button type="submit">Set</button>
        <button type="button" class="danger" disabled={!moved} onClick={() => act(api.resetClock())}>
          Back to real time
        </button>
      </form>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}
