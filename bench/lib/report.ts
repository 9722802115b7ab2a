/** The bench's results: one row per figure, printed as a table and written as JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Row {
  figure: string;
  ours: string;
  /** What ours is compared with, measured in the same run (or the budget, for sizes). */
  reference: string;
  ratio: string;
  goal: string;
  /** `null` when not judged: a smoke run, or a figure that only informs. */
  pass: boolean | null;
}

export interface FigureResult {
  /** The `--only` name of the figure. */
  name: string;
  rows: Row[];
  /** Raw numbers and whatever else a reader needs to check the rows. */
  details: Record<string, unknown>;
  /** Why part of the figure was not measured, if it was not. */
  skipped?: string;
}

export interface BenchReport {
  startedAt: string;
  smoke: boolean;
  durationMs: number;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; loadAverage: number[] };
  figures: FigureResult[];
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/** A difference of times, signed: `+1.20 ms`, `−0.40 ms`. */
export function formatDifference(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${formatMs(Math.abs(ms))}`;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

/** Only judged when measured at full size: a smoke run's tiny inputs say nothing about speed. */
export function verdict(smoke: boolean, pass: boolean): boolean | null {
  return smoke ? null : pass;
}

const COLUMNS: Array<[keyof Row, string]> = [
  ['figure', 'figure'],
  ['ours', 'ours'],
  ['reference', 'reference'],
  ['ratio', 'ratio'],
  ['goal', 'goal'],
  ['pass', 'result'],
];

function cell(row: Row, key: keyof Row): string {
  if (key !== 'pass') return String(row[key]).replace(/\|/g, '\\|');
  return row.pass === null ? '—' : row.pass ? 'pass' : '**FAIL**';
}

/** A Markdown table, aligned so it also reads well in a terminal. */
export function table(figures: readonly FigureResult[]): string {
  const rows = figures.flatMap((figure) => figure.rows);
  const cells = rows.map((row) => COLUMNS.map(([key]) => cell(row, key)));
  const widths = COLUMNS.map(([, title], i) => Math.max(title.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`;
  return [line(COLUMNS.map(([, title]) => title)), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

/** Writes the report as `<dir>/bench-<time>.json` and `<dir>/latest.json`; returns the first path. */
export function writeReport(report: BenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify(report, null, 2) + '\n';
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(dir, 'latest.json'), json);
  return file;
}
