/**
 * Benchmark entry: `npm run bench` runs every suite, `npm run bench -- framing` only the named
 * ones. Prints one table per suite: rate of each variant and its ratio to the baseline.
 */
import { cpus } from 'node:os';
import { runFramingBench } from './framing-bench';
import type { BenchRow } from './measure';

/** A named group of benchmarks. */
interface Suite {
  readonly name: string;
  readonly description: string;
  readonly run: () => BenchRow[] | Promise<BenchRow[]>;
}

/** Library variants should reach this fraction of the baseline's rate. */
const TARGET_RATIO = 0.9;

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const SUITES: readonly Suite[] = [
  {
    name: 'framing',
    description: 'in-process decoding, 1,000,000 frames of 64 B in random 1 B..64 KiB chunks',
    run: () => runFramingBench({ log: progress }),
  },
];

/** Formats a rate as `12.34 M`. */
function formatRate(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : `${(perSecond / 1e3).toFixed(1)} k`;
}

/** Renders rows as an aligned text table (first column left-aligned, the others right-aligned). */
function renderTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...body.map((r) => (r[k] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Prints one suite's rows: per variant its rate (with run-to-run spread), then each library variant's ratio to the baseline. */
function printSuite(suite: Suite, rows: readonly BenchRow[]): void {
  const first = rows[0];
  if (first === undefined) return;
  const names = first.variants.map((v) => v.variant);
  const baseline = names[0] ?? 'baseline';
  const others = names.slice(1);
  const header = [
    `${suite.name} (${first.unit}/s, median)`,
    ...names.map((n) => `${n} ±spread`),
    ...others.map((n) => `${n}/${baseline}`),
  ];
  let belowTarget = false;
  const body = rows.map((row) => [
    row.case,
    ...row.variants.map((v) => `${formatRate(v.perSecond)} ±${v.spreadPct.toFixed(0)}%`),
    ...row.variants.slice(1).map((v) => {
      const low = v.vsBaseline < TARGET_RATIO;
      belowTarget ||= low;
      return `${v.vsBaseline.toFixed(2)}x${low ? ' *' : ''}`;
    }),
  ]);
  console.log(`\n${suite.name}: ${suite.description}`);
  console.log(renderTable(header, body));
  console.log(
    `Target: library variants >= ${TARGET_RATIO.toFixed(1)}x baseline` +
      (belowTarget ? '; * marks a ratio below it.' : '; all rows meet it.'),
  );
}

/** Runs the suites named on the command line (all when none is named) and prints their tables. */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !SUITES.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown suite(s): ${unknown.join(', ')}; available: ${SUITES.map((s) => s.name).join(', ')}`);
  }
  const selected = wanted.length === 0 ? SUITES : SUITES.filter((s) => wanted.includes(s.name));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`rxsocket bench: node ${process.version}, ${cpus().length} x ${cpu}`);
  for (const suite of selected) {
    const started = Date.now();
    const rows = await suite.run();
    printSuite(suite, rows);
    progress(`${suite.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
