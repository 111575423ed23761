/**
 * Server CPU per accepted connection: clients (in this process, 50 at a time) each connect, echo
 * one 64 B message and close; the server runs in a child process of its own (`idle-server.cjs`),
 * which reports its own `process.cpuUsage()` before and after, once every connection has closed.
 * For rxsocket's `listen`, a plain `node:net` echo server and a `ws` echo server, runs interleaved.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openClient, startServer, VARIANTS, type Variant } from './idle-bench';
import { renderTable } from './table';

/** What the server child reports to a `cpu` request. */
interface CpuReport {
  readonly connections: number;
  readonly cpu: NodeJS.CpuUsage;
}

const CONCURRENT = 50;

/** Server CPU microseconds per connection, by variant: median and spread over the runs. */
export interface AcceptResult {
  readonly variant: Variant;
  readonly cpuUs: number;
  readonly spreadPct: number;
}

async function cpuOf(child: ChildProcess): Promise<CpuReport> {
  child.send('cpu');
  return ((await once(child, 'message')) as [CpuReport])[0];
}

async function measureOnce(variant: Variant, count: number): Promise<number> {
  const { child, port } = await startServer(variant);
  try {
    // A warm-up round as long as the timed one, so that every server runs optimized code when
    // timed: after 500 connections much of each server's per-connection code still ran in V8's
    // interpreter, which weighed most on the server with the most code (rxsocket 1.5x-1.6x net
    // then, 1.3x once warm), not a server's steady state.
    await churn(variant, port, count);
    await settled(child);
    const before = await cpuOf(child);
    await churn(variant, port, count);
    const after = await settled(child);
    const used = (c: NodeJS.CpuUsage): number => c.user + c.system;
    return (used(after.cpu) - used(before.cpu)) / count;
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

/** Connect, echo once, close, `count` times, `CONCURRENT` at a time. */
async function churn(variant: Variant, port: number, count: number): Promise<void> {
  for (let done = 0; done < count; ) {
    const batch = Math.min(CONCURRENT, count - done);
    const closers = await Promise.all(Array.from({ length: batch }, () => openClient(variant, port)));
    for (const close of closers) close();
    done += batch;
  }
}

/** Waits until the server holds no connection; returns its last report. */
async function settled(child: ChildProcess): Promise<CpuReport> {
  for (;;) {
    const report = await cpuOf(child);
    if (report.connections === 0) return report;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Runs the accept case for every variant, `runs` times interleaved. */
export async function runAcceptBench(options: { readonly connections?: number; readonly runs?: number; readonly log?: (line: string) => void } = {}): Promise<AcceptResult[]> {
  const count = options.connections ?? 5_000;
  const runs = options.runs ?? 5;
  const samples = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  for (let run = 0; run < runs; run++) {
    for (const variant of VARIANTS) {
      options.log?.(`accept: ${variant}, ${count} connections, run ${run + 1} of ${runs}`);
      samples.get(variant)?.push(await measureOnce(variant, count));
    }
  }
  return VARIANTS.map((variant) => {
    const values = [...(samples.get(variant) ?? [])].sort((a, b) => a - b);
    const median = values[Math.floor(values.length / 2)] as number;
    return { variant, cpuUs: median, spreadPct: (((values.at(-1) as number) - (values[0] as number)) / median) * 100 };
  });
}

/** The table of an accept run, each variant's CPU against plain `net`'s (target for rxsocket: at most 1.15x). */
export function renderAcceptReport(results: readonly AcceptResult[]): string {
  const net = results.find((r) => r.variant === 'net');
  const body = results.map((r) => [r.variant, `${r.cpuUs.toFixed(0)} µs ±${r.spreadPct.toFixed(0)}%`, net === undefined ? '' : `${(r.cpuUs / net.cpuUs).toFixed(2)}x`]);
  return [
    renderTable(['server CPU per connection (connect, one 64 B echo, close)', 'CPU (user+system)', 'vs net'], body),
    'Target: rxsocket at most 1.15x plain net.',
  ].join('\n');
}
