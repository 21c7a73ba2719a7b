// Results: every measured case becomes a Row, printed as one line when it is reported and
// collected in `rows` for the final markdown table (and bench/results/latest.json).
import type { Load } from './load.js';

export interface Row {
  case: string;
  perSecond: number | null;
  p50: number | null;
  p99: number | null;
  /** The measured value compared with the goal: a ratio, milliseconds or megabytes. */
  value: number | null;
  unit: 'ratio' | 'ms' | 'MB' | 'req/s';
  baseline: string;
  goal: string;
  pass: boolean | null;
  note?: string;
}

/** Every row reported so far, in order. */
export const rows: Row[] = [];

/** Reports `measured` as a fraction of `baseline`'s rate; passes at `goal` or more with no unexpected statuses. */
export function ratioRow(name: string, measured: Load, baseline: { perSecond: number }, baselineName: string, goal: number, note?: string): Row {
  const ratio = measured.perSecond / baseline.perSecond;
  const extra = [measured.unexpected ? `${measured.unexpected} unexpected statuses` : '', measured.errors ? `${measured.errors} errors` : '', note ?? '']
    .filter(Boolean)
    .join('; ');
  const row: Row = {
    case: name,
    perSecond: measured.perSecond,
    p50: measured.p50,
    p99: measured.p99,
    value: ratio,
    unit: 'ratio',
    baseline: `${baselineName} ${baseline.perSecond.toFixed(0)}/s`,
    goal: `>= ${(goal * 100).toFixed(0)}%`,
    pass: ratio >= goal && measured.unexpected === 0,
    ...(extra ? { note: extra } : {}),
  };
  report(row);
  return row;
}

/** Reports a baseline measurement (no goal of its own). */
export function reportBaseline(name: string, measured: { perSecond: number; p50: number; p99: number }): void {
  report({ case: name, perSecond: measured.perSecond, p50: measured.p50, p99: measured.p99, value: null, unit: 'req/s', baseline: '-', goal: '-', pass: null });
}

/** Records `row` and prints it as one line. */
export function report(row: Row): void {
  rows.push(row);
  const fmt = (n: number | null, d = 0) => (n === null ? '-' : n.toFixed(d));
  const value = row.value === null ? '-' : row.unit === 'ratio' ? `${(row.value * 100).toFixed(1)}%` : `${fmt(row.value, 1)} ${row.unit}`;
  const verdict = row.pass === null ? 'report' : row.pass ? 'PASS' : 'FAIL';
  process.stdout.write(
    `${row.case.padEnd(44)} ${fmt(row.perSecond).padStart(7)} req/s  p50 ${fmt(row.p50, 1).padStart(6)} ms  p99 ${fmt(row.p99, 1).padStart(6)} ms  ${value.padStart(9)} vs ${row.baseline.padEnd(24)} goal ${row.goal.padEnd(8)} ${verdict}${row.note ? `  (${row.note})` : ''}\n`,
  );
}

/** All rows as a markdown table. */
export function table(): string {
  const header = ['case', 'req/s', 'p50 ms', 'p99 ms', 'result', 'baseline', 'goal', 'pass'];
  const lines = rows.map((r) => [
    r.case,
    r.perSecond === null ? '-' : r.perSecond.toFixed(0),
    r.p50 === null ? '-' : r.p50.toFixed(1),
    r.p99 === null ? '-' : r.p99.toFixed(1),
    r.value === null ? '-' : r.unit === 'ratio' ? `${(r.value * 100).toFixed(1)}%` : `${r.value.toFixed(r.unit === 'MB' ? 0 : 0)} ${r.unit}`,
    r.baseline,
    r.goal,
    r.pass === null ? 'reported' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [md(header), md(header.map(() => '---')), ...lines.map(md)].join('\n');
}
