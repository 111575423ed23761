/**
 * The websocket suite: `listenWebSocket`/`connectWebSocket` against a hand-written `ws` program
 * (`websocket-baseline.ts`) on 127.0.0.1 in one process, runs interleaved, a fresh primed pair
 * each, medians reported: one-way throughput (64 B and 1 KiB binary, ~100 B JSON as text), 64 B
 * echo round trips, and the memory one more open connection costs (both ends in this process).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { jsonWorkload, rawWorkload, type Workload } from './connection-workload';
import { json } from './library';
import { measureAsync, rowFromTimings, type AsyncTimedCase, type BenchRow } from './measure';
import type { PingPongPair, ThroughputPair } from './net-baseline';
import { pairRows, renderTable, targetLine } from './table';
import { openWsPair, openWsPingPong, openWsThroughput } from './websocket-baseline';
import { openLibraryWsPair, openLibraryWsPingPong, openLibraryWsThroughput } from './websocket-library';

/** The target: the library at this fraction of the `ws` program's rate at least. */
const TARGET = 0.9;
/** Connections held open at once to measure the cost of one. */
const HELD_CONNECTIONS = 200;

/** Options of {@link runWebSocketBench}. */
export interface WebSocketBenchOptions {
  /** Multiplies every message and round-trip count. Default 1. */
  readonly scale?: number;
  /** Timed runs per variant (after one warm-up). Default 5. */
  readonly timedRuns?: number;
  readonly log?: (line: string) => void;
}

/** What the suite measured. */
export interface WebSocketReport {
  readonly rows: readonly BenchRow[];
  /** Heap bytes per open connection (client and server ends), `ws` then library. */
  readonly bytesPerConnection: readonly [number, number];
}

/** A case that opens a fresh pair before each run, primes it, and closes it after (all untimed). */
function pairCase<P extends { close(): Promise<void> }>(name: string, open: () => Promise<P>, prime: (p: P) => Promise<void>, run: (p: P) => Promise<void>): AsyncTimedCase {
  let pair: P | null = null;
  return {
    name,
    setup: async () => {
      pair = await open();
      await prime(pair);
    },
    run: () => run(pair as P),
    teardown: async () => {
      await pair?.close();
      pair = null;
    },
  };
}

async function throughputRow<T>(workload: Workload<T>, timedRuns: number): Promise<BenchRow> {
  const prime = Math.max(1, Math.round(workload.messages / 10));
  const variants: Array<[string, () => Promise<ThroughputPair>]> = [
    ['ws', () => openWsThroughput(workload)],
    ['library', () => openLibraryWsThroughput(workload)],
  ];
  const timings = await measureAsync(
    variants.map(([name, open]) => pairCase(name, open, (p) => p.run(prime), (p) => p.run(workload.messages))),
    { timedRuns },
  );
  return rowFromTimings('websocket', `one-way ${workload.name}`, 'msgs', workload.messages, timings);
}

async function pingPongRow(roundTrips: number, timedRuns: number): Promise<BenchRow> {
  const payload = Buffer.alloc(64, 0x62);
  const variants: Array<[string, () => Promise<PingPongPair>]> = [
    ['ws', () => openWsPingPong(payload)],
    ['library', () => openLibraryWsPingPong(payload)],
  ];
  const timings = await measureAsync(
    variants.map(([name, open]) =>
      pairCase(name, open, (p) => p.run(new Float64Array(Math.ceil(roundTrips / 10))), (p) => p.run(new Float64Array(roundTrips))),
    ),
    { timedRuns },
  );
  return rowFromTimings('websocket', 'echo 64 B', 'round trips', roundTrips, timings);
}

/** Node's `gc()`, enabled at run time (the bench runs without `--expose-gc`). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap bytes one more open pair costs: `count` pairs held open, heap measured after full collections. */
async function bytesPerPair(open: () => Promise<{ close(): Promise<void> }>, count: number): Promise<number> {
  const gc = collector();
  gc();
  const before = process.memoryUsage().heapUsed;
  const pairs = [];
  for (let k = 0; k < count; k++) pairs.push(await open());
  gc();
  const after = process.memoryUsage().heapUsed;
  for (const pair of pairs) await pair.close();
  return (after - before) / count;
}

/** Runs the websocket suite; every socket and server is closed before it returns. */
export async function runWebSocketBench(options: WebSocketBenchOptions = {}): Promise<WebSocketReport> {
  const scale = options.scale ?? 1;
  const timedRuns = options.timedRuns ?? 5;
  const log = options.log ?? ((): void => undefined);
  const count = (n: number): number => Math.max(1, Math.round(n * scale));
  const rows: BenchRow[] = [];
  for (const [name, bytes, messages] of [
    ['64 B binary', 64, 300_000],
    ['1 KiB binary', 1024, 150_000],
  ] as const) {
    log(`websocket: one-way ${name}`);
    rows.push(await throughputRow(rawWorkload(name, bytes, count(messages)), timedRuns));
  }
  log('websocket: one-way JSON');
  rows.push(await throughputRow(jsonWorkload('JSON text', count(200_000)), timedRuns));
  log('websocket: echo');
  rows.push(await pingPongRow(count(10_000), timedRuns));
  log(`websocket: memory of ${HELD_CONNECTIONS} open connections`);
  const wsBytes = await bytesPerPair(openWsPair, HELD_CONNECTIONS);
  const libraryBytes = await bytesPerPair(() => openLibraryWsPair(json()), HELD_CONNECTIONS);
  return { rows, bytesPerConnection: [wsBytes, libraryBytes] };
}

/** Renders the suite's table and the cost per connection. */
export function renderWebSocketReport(report: WebSocketReport): string {
  const { body, missed } = pairRows(report.rows, TARGET);
  const [wsBytes, libraryBytes] = report.bytesPerConnection;
  return [
    renderTable(['websocket (median)', 'ws msgs/s', 'library msgs/s', 'library/ws'], body),
    targetLine('library msgs/s', TARGET, missed),
    `Heap per open connection (client and server ends, ${HELD_CONNECTIONS} held): ws ${(wsBytes / 1024).toFixed(1)} KiB, ` +
      `library ${(libraryBytes / 1024).toFixed(1)} KiB (+${((libraryBytes - wsBytes) / 1024).toFixed(1)} KiB).`,
  ].join('\n');
}
