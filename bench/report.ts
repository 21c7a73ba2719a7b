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
  unit: 'ratio' | 'ms' | 'MB' | 'req/s' | 'µs';
  baseline: string;
  goal: string;
  pass: boolean | null;
  note?: string;
}

/** Every row reported so far, in order. */
export const rows: Row[] = [];

/** Reports `measured` as a fraction of `baseline`'s rate; passes at `goal` or more with no unexpected statuses (goal null: reported only). */
export function ratioRow(
  name: string,
  measured: Load,
  baseline: { perSecond: number },
  baselineName: string,
  goal: number | null,
  note?: string,
): Row {
  const ratio = measured.perSecond / baseline.perSecond;
  const extra = [
    measured.unexpected ? `${measured.unexpected} unexpected statuses` : '',
    measured.errors ? `${measured.errors} errors` : '',
    note ?? '',
  ]
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
    goal: goal === null ? 'report' : `>= ${(goal * 100).toFixed(0)}%`,
    pass: goal === null ? null : ratio >= goal && measured.unexpected === 0,
    ...(extra ? { note: extra } : {}),
  };
  report(row);
  return row;
}

/**
 * This build against another (`--compare`), measured in alternation: a rate should be at least
 * 95% of the other build's, a time at most 105% of it.
 */
export function compareRow(name: string, ours: number, theirs: number, kind: 'rate' | 'time', otherBuild: string): Row {
  const ratio = kind === 'rate' ? ours / theirs : theirs / ours;
  const row: Row = {
    case: `${name}: this build vs ${otherBuild}`,
    perSecond: kind === 'rate' ? ours : null,
    p50: null,
    p99: null,
    value: ratio,
    unit: 'ratio',
    baseline:
      kind === 'rate'
        ? `${otherBuild} ${theirs.toFixed(0)}/s`
        : `${otherBuild} ${theirs.toFixed(0)} ms (this: ${ours.toFixed(0)} ms)`,
    goal: '>= 95%',
    pass: ratio >= 0.95,
  };
  report(row);
  return row;
}

/** Reports a baseline measurement (no goal of its own). */
export function reportBaseline(name: string, measured: { perSecond: number; p50: number; p99: number }): void {
  report({
    case: name,
    perSecond: measured.perSecond,
    p50: measured.p50,
    p99: measured.p99,
    value: null,
    unit: 'req/s',
    baseline: '-',
    goal: '-',
    pass: null,
  });
}

/** Records `row` and prints it as one line. */
export function report(row: Row): void {
  rows.push(row);
  const fmt = (n: number | null, d = 0) => (n === null ? '-' : n.toFixed(d));
  const value =
    row.value === null
      ? '-'
      : row.unit === 'ratio'
        ? `${(row.value * 100).toFixed(1)}%`
        : `${fmt(row.value, 1)} ${row.unit}`;
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
    r.value === null
      ? '-'
      : r.unit === 'ratio'
        ? `${(r.value * 100).toFixed(1)}%`
        : `${r.value.toFixed(r.unit === 'MB' ? 0 : 0)} ${r.unit}`,
    r.baseline,
    r.goal,
    r.pass === null ? 'reported' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [md(header), md(header.map(() => '---')), ...lines.map(md)].join('\n');
}
