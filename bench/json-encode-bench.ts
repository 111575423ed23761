/**
 * The json-encode suite, in process (no sockets): JSON messages written into 64 KiB batches as a
 * connection's writer does, by today's library path (the json codec's `encode`, which stringifies
 * then makes a Buffer, then the length-prefix framing's `encodeInto`, which copies it into the
 * batch) and by writing the JSON text straight into the batch. Both produce the same bytes
 * (`spec/bench/json-encode-paths.spec.ts`); the table gives the rate of each and the ratio.
 */
import { json, lengthPrefix } from './library';
import { directPathWriter, libraryPathWriter, type BatchWriter } from './json-encode-paths';
import { measure, rowFromTimings, type BenchRow, type TimedCase } from './measure';
import { formatRate, renderTable } from './table';

/** Options of {@link runJsonEncodeBench}; the defaults are the documented workload. */
export interface JsonEncodeBenchOptions {
  /** Messages per timed run for the ~100 B objects; the ~1 KiB ones get a tenth. Default 60,000. */
  readonly messages?: number;
  /** Timed runs per variant (after two warm-up runs). Default 9. */
  readonly timedRuns?: number;
  readonly log?: (line: string) => void;
}

/** Distinct values per workload, cycled through: the same values for every variant. */
const DISTINCT_VALUES = 1024;

interface Workload {
  readonly name: string;
  readonly make: (seq: number) => unknown;
  /** Messages per run, as a fraction of `messages`. */
  readonly share: number;
}

const TS0 = 1_718_000_000_000;

/** ~1 KiB: a reading with a history of samples, labels in `label`, site name `site`. */
function largeValue(seq: number, label: string, site: string): unknown {
  const samples = Array.from({ length: 29 }, (_, k) => ({ t: TS0 + seq * 1000 + k * 40, v: Math.round(((seq + k) % 997) * 1.37) / 100 }));
  return { seq, ts: TS0 + seq * 1000, sensor: label, site, unit: '°C', ok: seq % 5 !== 0, samples, tags: ['hall-2', 'rack-17', 'primary'] };
}

const WORKLOADS: readonly Workload[] = [
  {
    name: 'small ASCII',
    make: (seq) => ({ seq, ts: TS0 + seq * 1000, sensor: 'temp-01', value: Math.round((seq % 997) * 3.71) / 100, unit: 'celsius', ok: seq % 5 !== 0 }),
    share: 1,
  },
  {
    name: 'small non-ASCII',
    make: (seq) => ({ seq, ts: TS0 + seq * 1000, sensor: 'température-01', value: Math.round((seq % 997) * 3.71) / 100, unit: '°C', ok: seq % 5 !== 0 }),
    share: 1,
  },
  { name: '1 KiB ASCII', make: (seq) => largeValue(seq, 'temp-01', 'Zurich Nord'), share: 0.1 },
  { name: '1 KiB non-ASCII', make: (seq) => largeValue(seq, 'température-01', 'Zürich Straße ✓'), share: 0.1 },
];

/** Counts what the writers hand over; every variant must hand over the same. */
class Tally {
  batches = 0;
  bytes = 0;
  readonly add = (batch: Buffer): void => {
    this.batches++;
    this.bytes += batch.length;
  };
}

/** One timed variant: writes `count` messages cycling through `values`, checks the totals against `expected`. */
function variant(name: string, build: (tally: Tally) => BatchWriter, values: readonly unknown[], count: number, expected: Tally): TimedCase {
  return {
    name,
    run: () => {
      const tally = new Tally();
      const writer = build(tally);
      for (let k = 0; k < count; k++) writer.write(values[k % values.length]);
      writer.finish();
      if (tally.bytes !== expected.bytes || tally.batches !== expected.batches) {
        throw new Error(`${name}: ${tally.batches} batches / ${tally.bytes} bytes, expected ${expected.batches} / ${expected.bytes}`);
      }
    },
  };
}

/** Measures each workload and returns one row per workload: library path first, then the direct ones. */
export function measureJsonEncode(options: JsonEncodeBenchOptions = {}): { rows: BenchRow[]; bytesPerMessage: number[] } {
  const messages = options.messages ?? 60_000;
  const codec = json();
  const framing = lengthPrefix();
  const max = Math.min(framing.maxFrameBytes, 1024 * 1024);
  const rows: BenchRow[] = [];
  const bytesPerMessage: number[] = [];
  for (const workload of WORKLOADS) {
    const values = Array.from({ length: DISTINCT_VALUES }, (_, k) => workload.make(k * 7919));
    const count = Math.round(messages * workload.share);
    const expected = new Tally();
    const reference = libraryPathWriter(codec, framing, expected.add);
    for (let k = 0; k < count; k++) reference.write(values[k % values.length]);
    reference.finish();
    bytesPerMessage.push(expected.bytes / count - 4);
    options.log?.(`json-encode: ${workload.name}: ${count} messages, ${(expected.bytes / count - 4).toFixed(0)} B each, ${expected.batches} batches`);
    const cases = [
      variant('library', (t) => libraryPathWriter(codec, framing, t.add), values, count, expected),
      variant('direct write', (t) => directPathWriter(max, 'write', t.add), values, count, expected),
      variant('direct utf8Write', (t) => directPathWriter(max, 'utf8Write', t.add), values, count, expected),
    ];
    const timings = measure(cases, { warmupRuns: 2, timedRuns: options.timedRuns ?? 9 });
    rows.push(rowFromTimings('json-encode', workload.name, 'msg', count, timings));
  }
  return { rows, bytesPerMessage };
}

/** Runs the suite and renders its table: messages/s of each path (median ± spread) and direct/library. */
export function runJsonEncodeBench(options: JsonEncodeBenchOptions = {}): string {
  const { rows, bytesPerMessage } = measureJsonEncode(options);
  const names = rows[0]?.variants.map((v) => v.variant) ?? [];
  const header = ['json-encode (msg/s, median)', 'JSON B', ...names.map((n) => `${n} ±spread`), ...names.slice(1).map((n) => `${n}/library`)];
  const body = rows.map((row, k) => [
    row.case,
    (bytesPerMessage[k] ?? 0).toFixed(0),
    ...row.variants.map((v) => `${formatRate(v.perSecond)} ±${v.spreadPct.toFixed(0)}%`),
    ...row.variants.slice(1).map((v) => `${v.vsBaseline.toFixed(2)}x`),
  ]);
  return `${renderTable(header, body)}\nlibrary: json().encode + lengthPrefix().encodeInto (stringify, Buffer.from, copy); direct: stringify, then the text encoded into the batch.`;
}
