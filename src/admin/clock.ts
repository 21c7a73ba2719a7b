// The test clock's admin calls: read it, move it (by an ISO-8601 duration or to a date), and
// return to real time. On a cluster the clock is one: a change answers once every instance
// uses it.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inClockRange, type ClockState, type EmulatedClock } from '../keys/clock.js';
import { parseDuration } from '../keys/duration.js';
import { RequestValidationError } from '../http/validation.js';
import { clockChange, clockState } from './schemas.js';

const view = (state: ClockState) => ({ now: state.now.toISOString(), offsetMs: state.offsetMs });

export const clockRoutes: FastifyPluginAsync<{ clock: EmulatedClock }> = async (instance, { clock }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/_keyforge/clock',
    { schema: { summary: 'The test clock: its time and its offset from real time', response: { 200: clockState } } },
    async () => view(await clock.state()),
  );

  app.put(
    '/_keyforge/clock',
    {
      schema: {
        summary: 'Moves the test clock: `{"advance": "PT2H"}` or `{"at": "2030-01-01T00:00:00Z"}`',
        description:
          'Every expiry check, timestamp in vendor answers, Spring error timestamp and rate-limit window follows the clock, on every instance; time runs on from the new point. ' +
          'The journal keeps the real time of each call and shows the emulated one beside it. A global reset or DELETE returns to real time.',
        body: clockChange,
        response: { 200: clockState },
      },
    },
    async (request) => {
      const { advance, at } = request.body;
      if (at !== undefined) return view(await clock.set(new Date(at)));
      const duration = parseDuration(advance!)!; // the schema's pattern admitted it
      if (!inClockRange(clock.after(duration))) {
        throw new RequestValidationError(
          [
            {
              code: 'custom',
              path: ['advance'],
              message: 'moves the clock outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z',
              input: advance,
            },
          ],
          'body',
        );
      }
      return view(await clock.advance(duration));
    },
  );

  app.delete(
    '/_keyforge/clock',
    { schema: { summary: 'Returns the test clock to real time', response: { 200: clockState } } },
    async () => view(await clock.reset()),
  );
};
