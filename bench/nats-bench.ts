/**
 * The nats suite: messages relayed node to node through a local nats-server, from one NATS
 * connection (node A) to another (node B) in this process. Library: `toSubject` on A (with its
 * flush-confirmed ledger) and `fromSubject` on B; baseline: `@nats-io/transport-node` by hand
 * (`publish` in bursts, a `subscribe` callback). Runs interleaved, medians reported, then the
 * latency one message takes from A to B (p50, p99) each way, sequentially.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { haveNatsServer, natsServerPath, startNatsServer } from '../scripts/nats-server';
import { jsonWorkload, rawWorkload, Tally, yieldToLoop, type Workload } from './connection-workload';
import { fromSubject, toSubject } from './library';
import { measureAsync, rowFromTimings, type BenchRow } from './measure';
import { pairRows, renderTable, targetLine } from './table';

/** The target: the library at this fraction of the hand-written client's rate at least. */
const TARGET = 0.9;

/** Options of {@link runNatsBench}. */
export interface NatsBenchOptions {
  /** Multiplies every message count. Default 1. */
  readonly scale?: number;
  /** Timed runs per variant (after one warm-up). Default 5. */
  readonly timedRuns?: number;
  readonly log?: (line: string) => void;
}

/** Latency percentiles of one variant, in microseconds. */
interface Latency {
  readonly p50: number;
  readonly p99: number;
}

/** What the suite measured, or why it did not run. */
export type NatsReport = { readonly skipped: string } | { readonly rows: readonly BenchRow[]; readonly latency: readonly [Latency, Latency] };

/** How the baseline turns a workload's messages into payloads and back, by hand. */
interface HandWire<T> {
  readonly encode: (message: T) => Uint8Array;
  readonly decode: (payload: Uint8Array) => T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const rawWire: HandWire<Uint8Array> = { encode: (m) => m, decode: (p) => p };
const jsonWire = <T>(): HandWire<T> => ({ encode: (m) => encoder.encode(JSON.stringify(m)), decode: (p) => JSON.parse(decoder.decode(p)) as T });

/** One relay: `send(count)` resolves once B has received `count` messages; `close` ends it. */
interface Relay {
  send(count: number): Promise<void>;
  close(): void;
}

let subjects = 0;

/** Sends in bursts, yielding to the event loop between them, as both variants do. */
async function bursts(count: number, burst: number, sendOne: (i: number) => void): Promise<void> {
  for (let i = 0; i < count; ) {
    const end = Math.min(count, i + burst);
    for (; i < end; i++) sendOne(i);
    await yieldToLoop();
  }
}

function handRelay<T>(a: NatsConnection, b: NatsConnection, workload: Workload<T>, wire: HandWire<T>): Relay {
  const subject = `bench.${subjects++}`;
  const tally = new Tally(workload);
  const subscription = b.subscribe(subject, { callback: (_error, message) => tally.add(wire.decode(message.data)) });
  return {
    async send(count) {
      const arrived = tally.start(count);
      await b.flush();
      await bursts(count, workload.burst, (i) => a.publish(subject, wire.encode(workload.message(i))));
      await arrived;
    },
    close: () => subscription.unsubscribe(),
  };
}

function libraryRelay<T>(a: NatsConnection, b: NatsConnection, workload: Workload<T>): Relay {
  const subject = `bench.${subjects++}`;
  const tally = new Tally(workload);
  const subscription = fromSubject(b, subject, { codec: workload.codec }).subscribe(tally.add);
  const out = toSubject(a, subject, { codec: workload.codec });
  return {
    async send(count) {
      const arrived = tally.start(count);
      await b.flush();
      await bursts(count, workload.burst, (i) => out.next(workload.message(i)));
      await arrived;
    },
    close: () => {
      subscription.unsubscribe();
      out.complete();
    },
  };
}

async function throughputRow<T>(a: NatsConnection, b: NatsConnection, workload: Workload<T>, wire: HandWire<T>, timedRuns: number): Promise<BenchRow> {
  const variants: Array<[string, () => Relay]> = [
    ['nats.js', () => handRelay(a, b, workload, wire)],
    ['library', () => libraryRelay(a, b, workload)],
  ];
  const prime = Math.max(1, Math.round(workload.messages / 10));
  const timings = await measureAsync(
    variants.map(([name, open]) => {
      let relay: Relay | null = null;
      return {
        name,
        setup: async () => {
          relay = open();
          await relay.send(prime);
        },
        run: () => (relay as Relay).send(workload.messages),
        teardown: async () => {
          relay?.close();
          relay = null;
          await Promise.all([a.flush(), b.flush()]);
        },
      };
    }),
    { timedRuns },
  );
  return rowFromTimings('nats', `A to B ${workload.name}`, 'msgs', workload.messages, timings);
}

/** p50 and p99 of `count` sequential one-message trips from A to B, in microseconds. */
async function latency(b: NatsConnection, open: () => { next(message: Uint8Array): void; arrived(): Promise<void>; close(): void }, count: number): Promise<Latency> {
  const relay = open();
  await b.flush(); // B's subscription is on the server before the first trip
  const samples = new Float64Array(count);
  const payload = new Uint8Array(64);
  for (let k = -Math.ceil(count / 10); k < count; k++) {
    const arrived = relay.arrived();
    const start = process.hrtime.bigint();
    relay.next(payload);
    await arrived;
    if (k >= 0) samples[k] = Number(process.hrtime.bigint() - start) / 1e3;
  }
  relay.close();
  samples.sort();
  return { p50: samples[Math.floor(count * 0.5)] as number, p99: samples[Math.floor(count * 0.99)] as number };
}

/** A one-message-at-a-time relay: `arrived()` resolves at the next message B receives. */
function trip(subscribe: (deliver: () => void) => { close(): void }, send: (payload: Uint8Array) => void) {
  let waiting: (() => void) | null = null;
  const receiver = subscribe(() => {
    waiting?.();
    waiting = null;
  });
  return {
    next: send,
    arrived: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
      }),
    close: () => receiver.close(),
  };
}

/** Runs the nats suite against a nats-server it starts and stops; skipped when none is installed. */
export async function runNatsBench(options: NatsBenchOptions = {}): Promise<NatsReport> {
  if (!haveNatsServer) return { skipped: `skipped: no nats-server at ${natsServerPath} (apt-get install nats-server, or set NATS_SERVER)` };
  const scale = options.scale ?? 1;
  const timedRuns = options.timedRuns ?? 5;
  const log = options.log ?? ((): void => undefined);
  const count = (n: number): number => Math.max(1, Math.round(n * scale));
  const server = await startNatsServer();
  const [a, b] = await Promise.all([connect({ servers: server.url }), connect({ servers: server.url })]);
  try {
    const rows: BenchRow[] = [];
    log('nats: A to B 64 B');
    rows.push(await throughputRow(a, b, rawWorkload('64 B', 64, count(200_000)), rawWire, timedRuns));
    log('nats: A to B JSON');
    rows.push(await throughputRow(a, b, jsonWorkload('JSON', count(100_000)), jsonWire(), timedRuns));
    log(`nats: latency, ${count(2_000)} trips each`);
    const trips = count(2_000);
    let n = 0;
    const hand = await latency(b, () => {
      const subject = `latency.${n++}`;
      return trip(
        (deliver) => {
          const s = b.subscribe(subject, { callback: deliver });
          return { close: () => s.unsubscribe() };
        },
        (payload) => a.publish(subject, payload),
      );
    }, trips);
    const library = await latency(b, () => {
      const subject = `latency.${n++}`;
      const out = toSubject(a, subject);
      return trip(
        (deliver) => {
          const s = fromSubject(b, subject).subscribe(deliver);
          return { close: () => s.unsubscribe() };
        },
        (payload) => out.next(payload),
      );
    }, trips);
    return { rows, latency: [hand, library] };
  } finally {
    await Promise.all([a.close(), b.close()]);
    await server.stop();
  }
}

/** Renders the suite's table and the latency line. */
export function renderNatsReport(report: NatsReport): string {
  if ('skipped' in report) return report.skipped;
  const { body, missed } = pairRows(report.rows, TARGET);
  const [hand, library] = report.latency;
  const us = (value: number): string => `${value.toFixed(0)} µs`;
  return [
    renderTable(['nats (median)', 'nats.js msgs/s', 'library msgs/s', 'library/nats.js'], body),
    targetLine('library msgs/s', TARGET, missed),
    `Latency A to B, 64 B, one at a time: nats.js p50 ${us(hand.p50)} p99 ${us(hand.p99)}; library p50 ${us(library.p50)} p99 ${us(library.p99)} ` +
      `(added: p50 ${us(library.p50 - hand.p50)}, p99 ${us(library.p99 - hand.p99)}).`,
  ].join('\n');
}
