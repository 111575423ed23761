/**
 * The connection suite: the library's `connect`/`listen` over real TCP on 127.0.0.1 (server and
 * client in this process) against a hand-written `node:net` baseline, run interleaved in one process.
 * Every run gets a fresh, primed connection pair; the median of the timed runs is reported.
 *
 * 1. One-way throughput: the client sends N messages (one `sink.next` each, in bursts, pausing
 *    while more than 4 MiB wait to be written); the server decodes and counts them.
 * 2. Ping-pong: 64-byte messages, one in flight, echoed by the server; round trips/s and latency.
 */
import { openLibraryPingPong, openLibraryThroughput } from './connection-library';
import { jsonWorkload, rawWorkload, type Workload } from './connection-workload';
import { measureAsync, rowFromTimings, type AsyncTimedCase, type BenchRow } from './measure';
import { openNetPingPong, openNetThroughput, type PingPongPair, type ThroughputPair } from './net-baseline';
import { formatRate, formatRatio, renderTable, targetLine } from './table';

/** Throughput target: the library at this fraction of the baseline's messages/s at least. */
const THROUGHPUT_TARGET = 0.8;
/** Ping-pong target: the library at this fraction of the baseline's round trips/s at least. */
const ROUND_TRIP_TARGET = 0.9;

/** Options of {@link runConnectionBench}; the defaults are the documented workload. */
export interface ConnectionBenchOptions {
  /** Multiplies every message and round-trip count (for quick checks). Default 1. */
  readonly scale?: number;
  /** Timed runs per variant (after one warm-up run). Default 7. */
  readonly timedRuns?: number;
  /** Progress lines go here. Default: none. */
  readonly log?: (line: string) => void;
}

/** One throughput row: messages/s from `row`, and payload MB/s of each variant (baseline first). */
export interface ThroughputResult {
  readonly row: BenchRow;
  readonly megabytesPerSecond: readonly number[];
}

/** One ping-pong variant: round trips/s over its median run, latency percentiles over all its timed runs. */
export interface PingPongVariant {
  readonly variant: string;
  readonly perSecond: number;
  readonly spreadPct: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/** Everything the suite measured. */
export interface ConnectionReport {
  readonly throughput: readonly ThroughputResult[];
  readonly roundTrips: number;
  readonly pingPong: readonly PingPongVariant[];
}

/** Fraction of a timed run's messages (or round trips) sent untimed on each fresh pair first. */
const PRIME_FRACTION = 0.1;

/**
 * A case that opens a fresh pair before each run and closes it after (both untimed), and primes
 * it with a short untimed run, so that every sample gets its own connection warmed past TCP slow
 * start and buffer auto-tuning (loopback throughput varies from one connection to the next).
 */
export function freshPairCase<P extends { close(): Promise<void> }>(
  name: string,
  open: () => Promise<P>,
  prime: (pair: P) => Promise<void>,
  run: (pair: P) => Promise<void>,
): AsyncTimedCase {
  let current: P | null = null;
  const opened = (): P => {
    if (current === null) throw new Error(`${name}: no open pair`);
    return current;
  };
  return {
    name,
    setup: async () => {
      current = await open();
      await prime(current);
    },
    run: () => run(opened()),
    teardown: async () => {
      const pair = current;
      current = null;
      await pair?.close();
    },
  };
}

/** Measures one workload: runs of the baseline and the library interleaved, a fresh pair each. */
async function measureThroughput<T>(workload: Workload<T>, timedRuns: number, log: (line: string) => void): Promise<ThroughputResult> {
  log(`connection: throughput ${workload.name}, ${workload.messages} messages per run`);
  const primeMessages = Math.max(1, Math.round(workload.messages * PRIME_FRACTION));
  const variants: [string, () => Promise<ThroughputPair>][] = [
    ['baseline', () => openNetThroughput(workload)],
    ['library', () => openLibraryThroughput(workload)],
  ];
  const timings = await measureAsync(
    variants.map(([name, open]) =>
      freshPairCase(
        name,
        open,
        (pair) => pair.run(primeMessages),
        (pair) => pair.run(workload.messages),
      ),
    ),
    { timedRuns },
  );
  const row = rowFromTimings('connection', workload.name, 'msgs', workload.messages, timings);
  return { row, megabytesPerSecond: timings.map((t) => workload.payloadBytes / (t.medianNs / 1e9) / 1e6) };
}

/** The value at quantile `q` (0..1) of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Measures ping-pong: runs interleaved, a fresh pair each, every round trip timed. */
async function measurePingPong(roundTrips: number, timedRuns: number): Promise<PingPongVariant[]> {
  const payload = Buffer.alloc(64, 0x62);
  const primeTrips = Math.max(1, Math.round(roundTrips * PRIME_FRACTION));
  const variants: [string, () => Promise<PingPongPair>][] = [
    ['baseline', () => openNetPingPong(payload)],
    ['library', () => openLibraryPingPong(payload)],
  ];
  // Per variant, the RTTs of every run; the first (warm-up) run's are dropped below.
  const runs: Float64Array[][] = variants.map(() => []);
  const timings = await measureAsync(
    variants.map(([name, open], k) =>
      freshPairCase(
        name,
        open,
        (pair) => pair.run(new Float64Array(primeTrips)),
        (pair) => {
          const rtts = new Float64Array(roundTrips);
          (runs[k] as Float64Array[]).push(rtts);
          return pair.run(rtts);
        },
      ),
    ),
    { timedRuns },
  );
  const row = rowFromTimings('connection', 'ping-pong', 'round trips', roundTrips, timings);
  return row.variants.map((v, k) => {
    const timed = (runs[k] as Float64Array[]).slice(1);
    const all = new Float64Array(timed.length * roundTrips);
    timed.forEach((rtts, r) => all.set(rtts, r * roundTrips));
    all.sort();
    return {
      variant: v.variant,
      perSecond: v.perSecond,
      spreadPct: v.spreadPct,
      p50Us: quantile(all, 0.5) / 1e3,
      p99Us: quantile(all, 0.99) / 1e3,
    };
  });
}

/**
 * Runs the connection suite: each throughput workload (64 B, 1 KiB and 16 KiB raw, ~100 B JSON),
 * then ping-pong, baseline and library runs interleaved, each run on a fresh primed pair. Every
 * socket and server is closed before it returns.
 */
export async function runConnectionBench(options: ConnectionBenchOptions = {}): Promise<ConnectionReport> {
  const scale = options.scale ?? 1;
  const timedRuns = options.timedRuns ?? 7;
  const log = options.log ?? ((): void => {});
  const count = (n: number): number => Math.max(1, Math.round(n * scale));
  const throughput: ThroughputResult[] = [];
  for (const [name, bytes, messages] of [
    ['64 B raw', 64, 2_000_000],
    ['1 KiB raw', 1024, 500_000],
    ['16 KiB raw', 16 * 1024, 50_000],
  ] as const) {
    throughput.push(await measureThroughput(rawWorkload(name, bytes, count(messages)), timedRuns, log));
  }
  throughput.push(await measureThroughput(jsonWorkload('JSON object', count(500_000)), timedRuns, log));
  const roundTrips = count(20_000);
  log(`connection: ping-pong, ${roundTrips} round trips per run`);
  const pingPong = await measurePingPong(roundTrips, timedRuns);
  return { throughput, roundTrips, pingPong };
}

/** Renders both tables of a {@link ConnectionReport}, with the targets. */
export function renderConnectionReport(report: ConnectionReport): string {
  let missed = false;
  const throughputBody = report.throughput.map(({ row, megabytesPerSecond }) => {
    const [base, lib] = row.variants;
    if (base === undefined || lib === undefined) throw new Error(`${row.case}: expected two variants`);
    missed ||= lib.vsBaseline < THROUGHPUT_TARGET;
    const cells = row.variants.flatMap((v, k) => [
      `${formatRate(v.perSecond)} ±${v.spreadPct.toFixed(0)}%`,
      (megabytesPerSecond[k] ?? NaN).toFixed(0),
    ]);
    return [row.case, ...cells, formatRatio(lib.vsBaseline, THROUGHPUT_TARGET)];
  });
  const throughputTable = renderTable(
    ['one-way throughput (median)', 'baseline msgs/s', 'MB/s', 'library msgs/s', 'MB/s', 'library/baseline'],
    throughputBody,
  );
  const [base, lib] = report.pingPong;
  if (base === undefined || lib === undefined) throw new Error('ping-pong: expected two variants');
  const ratio = lib.perSecond / base.perSecond;
  const pingBody = report.pingPong.map((v) => [
    v.variant,
    `${formatRate(v.perSecond)} ±${v.spreadPct.toFixed(0)}%`,
    v.p50Us.toFixed(1),
    v.p99Us.toFixed(1),
    v.variant === 'baseline' ? '' : formatRatio(ratio, ROUND_TRIP_TARGET),
  ]);
  const pingTable = renderTable(
    [`ping-pong 64 B, ${report.roundTrips} per run`, 'round trips/s', 'p50 µs', 'p99 µs', 'library/baseline'],
    pingBody,
  );
  return [
    throughputTable,
    targetLine('library msgs/s', THROUGHPUT_TARGET, missed) + ' (MB/s counts payload bytes, 1 MB = 10^6 B.)',
    '',
    pingTable,
    targetLine('library round trips/s', ROUND_TRIP_TARGET, ratio < ROUND_TRIP_TARGET),
  ].join('\n');
}
