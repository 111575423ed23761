/**
 * Benchmark entry: `npm run bench` runs every suite, `npm run bench -- framing` only the named
 * ones. Prints each suite's tables: rate of each variant and its ratio to the baseline.
 */
import { cpus } from 'node:os';
import { renderConnectionReport, runConnectionBench } from './connection-bench';
import { runFramingBench } from './framing-bench';
import { renderAcceptReport, runAcceptBench } from './accept-bench';
import { renderIdleReport, runIdleBench } from './idle-bench';
import { runReceiveBench } from './receive-bench';
import { runBroadcastBench } from './broadcast-bench';
import { runJsonBench } from './json-bench';
import { runJsonEncodeBench } from './json-encode-bench';
import { renderNatsReport, runNatsBench } from './nats-bench';
import { renderRateTable } from './table';
import { renderWebSocketReport, runWebSocketBench } from './websocket-bench';

/** A named group of benchmarks; `run` measures and returns the rendered tables. */
interface Suite {
  readonly name: string;
  readonly description: string;
  readonly run: () => string | Promise<string>;
}

/** Framing: library variants should reach this fraction of the baseline's rate. */
const FRAMING_TARGET = 0.9;
/** Receive path: the library at this fraction of the baseline's frames/s at least. */
const RECEIVE_TARGET = 0.9;
/** Broadcast: the library at this fraction of the baseline's deliveries/s at least. */
const BROADCAST_TARGET = 0.9;

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const SUITES: readonly Suite[] = [
  {
    name: 'framing',
    description: 'in-process decoding, 1,000,000 frames of 64 B in random 1 B..64 KiB chunks',
    run: () => renderRateTable('framing', runFramingBench({ log: progress }), FRAMING_TARGET),
  },
  {
    name: 'connection',
    description: 'connect/listen over TCP 127.0.0.1 in one process vs a hand-written node:net loop',
    run: async () => renderConnectionReport(await runConnectionBench({ log: progress })),
  },
  {
    name: 'receive',
    description: 'receive path: 1,000,000 frames of 64 B, one TCP stream in 64 KiB writes, vs a hand-written node:net receiver',
    run: async () => renderRateTable('receive', [await runReceiveBench({ log: progress })], RECEIVE_TARGET),
  },
  {
    name: 'broadcast',
    description: 'one 64 B message at a time to 1,000 clients: broadcast() and sink.next per client vs node:net writing one buffer per client',
    run: async () => renderRateTable('broadcast', [await runBroadcastBench({ log: progress })], BROADCAST_TARGET),
  },
  {
    name: 'idle',
    description: 'server memory per idle connection, 10,000 connections (server in a child process) vs node:net and ws',
    run: async () => renderIdleReport(await runIdleBench({ log: progress }), 10_000),
  },
  {
    name: 'accept',
    description: 'server CPU per accepted connection (connect, one echo, close; server in a child process) vs node:net and ws',
    run: async () => renderAcceptReport(await runAcceptBench({ log: progress })),
  },
  {
    name: 'json',
    description: 'json() decode time of one frame by size and shape: how long it blocks the event loop',
    run: () => runJsonBench({ log: progress }),
  },
  {
    name: 'json-encode',
    description: 'in-process JSON encoding into 64 KiB write batches: json().encode + encodeInto (today) vs the text written straight into the batch',
    run: () => runJsonEncodeBench({ log: progress }),
  },
  {
    name: 'websocket',
    description: 'listenWebSocket/connectWebSocket over 127.0.0.1 in one process vs a hand-written ws program',
    run: async () => renderWebSocketReport(await runWebSocketBench({ log: progress })),
  },
  {
    name: 'nats',
    description: 'messages relayed node to node through a local nats-server: toSubject/fromSubject vs @nats-io/transport-node by hand',
    run: async () => renderNatsReport(await runNatsBench({ log: progress })),
  },
];

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
    const report = await suite.run();
    console.log(`\n${suite.name}: ${suite.description}`);
    console.log(report);
    progress(`${suite.name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
