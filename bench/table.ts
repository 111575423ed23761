/**
 * Text tables shared by the suites: an aligned table renderer, rate formatting, and the standard
 * "rate of each variant and its ratio to the baseline" table.
 */
import type { BenchRow } from './measure';

/** Formats a rate as `12.34 M` or `567.8 k`. */
export function formatRate(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : `${(perSecond / 1e3).toFixed(1)} k`;
}

/** Formats a ratio to the baseline as `0.93x`, with ` *` appended when it is below `target`. */
export function formatRatio(ratio: number, target: number): string {
  return `${ratio.toFixed(2)}x${ratio < target ? ' *' : ''}`;
}

/** Renders rows as an aligned text table (first column left-aligned, the others right-aligned). */
export function renderTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...body.map((r) => (r[k] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The closing line under a table: the target, and whether some ratio missed it. */
export function targetLine(what: string, target: number, missed: boolean): string {
  return `Target: ${what} >= ${target.toFixed(1)}x baseline` + (missed ? '; * marks a ratio below it.' : '; all rows meet it.');
}

/**
 * Renders rows whose variants all share one unit: per variant its rate (with run-to-run spread),
 * then each library variant's ratio to the baseline (the first variant).
 */
export function renderRateTable(title: string, rows: readonly BenchRow[], target: number): string {
  const first = rows[0];
  if (first === undefined) return '(no rows)';
  const names = first.variants.map((v) => v.variant);
  const baseline = names[0] ?? 'baseline';
  const others = names.slice(1);
  const header = [`${title} (${first.unit}/s, median)`, ...names.map((n) => `${n} ±spread`), ...others.map((n) => `${n}/${baseline}`)];
  let missed = false;
  const body = rows.map((row) => [
    row.case,
    ...row.variants.map((v) => `${formatRate(v.perSecond)} ±${v.spreadPct.toFixed(0)}%`),
    ...row.variants.slice(1).map((v) => {
      missed ||= v.vsBaseline < target;
      return formatRatio(v.vsBaseline, target);
    }),
  ]);
  return `${renderTable(header, body)}\n${targetLine('library variants', target, missed)}`;
}

/**
 * The body of a two-variant table (baseline, then library): per row its case, each rate with its
 * spread, and the library's ratio; `missed` is true when some ratio is below `target`.
 */
export function pairRows(rows: readonly BenchRow[], target: number): { body: string[][]; missed: boolean } {
  let missed = false;
  const body = rows.map((row) => {
    const [base, lib] = row.variants;
    if (base === undefined || lib === undefined) throw new Error(`${row.case}: expected two variants`);
    missed ||= lib.vsBaseline < target;
    return [
      row.case,
      `${formatRate(base.perSecond)} ±${base.spreadPct.toFixed(0)}%`,
      `${formatRate(lib.perSecond)} ±${lib.spreadPct.toFixed(0)}%`,
      formatRatio(lib.vsBaseline, target),
    ];
  });
  return { body, missed };
}
