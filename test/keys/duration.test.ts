// ISO-8601 durations as the test clock reads them: strict syntax, calendar steps in UTC.
import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from '../../src/keys/duration.js';

const from = (iso: string, duration: string) => addDuration(new Date(iso), parseDuration(duration)!).toISOString();

describe('parseDuration', () => {
  it.each(['PT2H', 'PT90S', 'P30D', 'P1Y2M10DT2H30M', 'P2W', 'PT0.5S', 'PT1,5S', 'PT0S', '-PT30M', 'P1DT1S'])(
    'reads %s',
    (text) => {
      expect(parseDuration(text)).not.toBeNull();
    },
  );

  it.each([
    '',
    'P',
    'PT',
    '2H',
    'pt2h',
    'PT2',
    'P1DT',
    'P1Dxyz',
    'xP1D',
    'PT1.5H',
    'P1.5D',
    'P-1D',
    '+PT1H',
    'PT1H ',
    'P1M1Y',
    'PT1S2M',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('addDuration', () => {
  it('adds exact time for hours, minutes and seconds', () => {
    expect(from('2030-01-01T00:00:00Z', 'PT2H')).toBe('2030-01-01T02:00:00.000Z');
    expect(from('2030-01-01T00:00:00Z', 'PT90S')).toBe('2030-01-01T00:01:30.000Z');
    expect(from('2030-01-01T00:00:00Z', 'PT0.25S')).toBe('2030-01-01T00:00:00.250Z');
    expect(from('2030-01-01T00:00:00Z', '-PT30M')).toBe('2029-12-31T23:30:00.000Z');
  });

  it('steps days, weeks, months and years on the UTC calendar, keeping the day or taking the month’s last', () => {
    expect(from('2030-03-30T12:00:00Z', 'P1D')).toBe('2030-03-31T12:00:00.000Z');
    expect(from('2030-01-01T00:00:00Z', 'P2W')).toBe('2030-01-15T00:00:00.000Z');
    expect(from('2030-01-31T08:00:00Z', 'P1M')).toBe('2030-02-28T08:00:00.000Z');
    expect(from('2032-01-31T08:00:00Z', 'P1M')).toBe('2032-02-29T08:00:00.000Z');
    expect(from('2032-02-29T00:00:00Z', 'P1Y')).toBe('2033-02-28T00:00:00.000Z');
    expect(from('2030-11-15T00:00:00Z', 'P1Y2M')).toBe('2032-01-15T00:00:00.000Z');
    expect(from('2030-03-31T00:00:00Z', '-P1M')).toBe('2030-02-28T00:00:00.000Z');
  });
});
