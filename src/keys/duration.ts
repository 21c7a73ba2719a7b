// ISO-8601 durations for the test clock (`PT2H`, `P30D`, `P1Y2M`, `-PT30M`). Our own small
// parser: the npm ones at hand match unanchored (`P1Dxyz` passes) or add days in the local time
// zone. Rules, as java.time's Duration and Period read them: at least one component; `T` only
// before an hour, minute or second component; a fraction (`.` or `,`) only on seconds; one
// leading `-` moves the other way. Years, months, weeks and days are calendar steps in UTC
// (a month from 31 January is 28 or 29 February), the rest exact milliseconds.

/** The whole syntax, anchored; `(?!$)` refuses a bare `P`, `T(?=\d)` a bare `T`. */
export const DURATION_PATTERN =
  /^-?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export interface Duration {
  sign: 1 | -1;
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** The duration `text` spells, or null when it is not one. */
export function parseDuration(text: string): Duration | null {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return null;
  const number = (i: number) => Number((match[i] ?? '0').replace(',', '.'));
  return {
    sign: text.startsWith('-') ? -1 : 1,
    years: number(1),
    months: number(2),
    weeks: number(3),
    days: number(4),
    hours: number(5),
    minutes: number(6),
    seconds: number(7),
  };
}

/** `from` moved by the duration: calendar steps first (in UTC), then the exact time. NaN when out of Date's range. */
export function addDuration(from: Date, d: Duration): Date {
  const start = new Date(from.getTime());
  const monthIndex = start.getUTCFullYear() * 12 + start.getUTCMonth() + d.sign * (d.years * 12 + d.months);
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  // The same day of the month, or the month's last when it is shorter.
  const day = Math.min(start.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  const calendar = new Date(from.getTime());
  calendar.setUTCFullYear(year, month, day);
  const days = d.sign * (d.weeks * 7 + d.days);
  const exactMs = d.sign * (((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000);
  return new Date(calendar.getTime() + days * 86_400_000 + Math.round(exactMs));
}
