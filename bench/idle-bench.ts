/**
 * The idle-connections case: a server (in a child process of its own, see `idle-server.cjs`)
 * accepts 10,000 clients, echoes one 64 B message to each, and is measured with every connection
 * open and idle. Bytes per connection = (memory with the connections - memory before the server
 * existed) / connections, after full garbage collections, for rxsocket, a plain `node:net` echo
 * server and a `ws` echo server, runs interleaved.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';

/** What the server child reports. */
interface IdleServerReport {
  readonly connections: number;
  readonly memory: NodeJS.MemoryUsage;
}
import { renderTable } from './table';

/** The server variants, baseline-like ones first. */
export const VARIANTS = ['net', 'ws', 'rxsocket'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Options of {@link runIdleBench}. */
export interface IdleBenchOptions {
  /** Connections held open at once. Default 10,000. */
  readonly connections?: number;
  /** Runs per variant (interleaved); the median is reported. Default 3. */
  readonly runs?: number;
  readonly log?: (line: string) => void;
}

/** Bytes one idle connection costs a server, by kind of memory (medians over the runs). */
export interface IdleResult {
  readonly variant: Variant;
  readonly rss: number;
  readonly heap: number;
  readonly external: number;
  /** Largest minus smallest heap figure across runs, as a percentage of the median. */
  readonly heapSpreadPct: number;
}

const PAYLOAD = Buffer.alloc(64, 0x61);
/** Clients opened at once (kept under the listen backlog). */
const CONCURRENT = 200;

/** Starts the server child (its file limit raised where the system allows) and waits for its first report and its port. */
export async function startServer(variant: Variant): Promise<{ child: ChildProcess; before: IdleServerReport; port: number }> {
  const child = fork(join(__dirname, 'idle-server.cjs'), [variant], { execArgv: ['--expose-gc'], stdio: 'inherit' });
  const messages: unknown[] = [];
  for (let k = 0; k < 2; k++) messages.push(((await once(child, 'message')) as unknown[])[0]);
  const before = messages[0] as IdleServerReport;
  const { port } = messages[1] as { port: number };
  return { child, before, port };
}

/** Opens one client of `variant`'s protocol, echoes one message, and returns a way to close it. */
export async function openClient(variant: Variant, port: number): Promise<() => void> {
  if (variant === 'ws') {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    await once(ws, 'open');
    ws.send(PAYLOAD);
    await once(ws, 'message');
    return () => ws.terminate();
  }
  const socket: Socket = netConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  const frame = Buffer.alloc(4 + PAYLOAD.length);
  frame.writeUInt32BE(PAYLOAD.length, 0);
  PAYLOAD.copy(frame, 4);
  socket.write(frame);
  let received = 0;
  while (received < frame.length) received += ((await once(socket, 'data')) as [Buffer])[0].length;
  return () => socket.destroy();
}

async function measureOnce(variant: Variant, count: number): Promise<{ rss: number; heap: number; external: number }> {
  const { child, before, port } = await startServer(variant);
  const closers: (() => void)[] = [];
  try {
    for (let opened = 0; opened < count; ) {
      const batch = Math.min(CONCURRENT, count - opened);
      closers.push(...(await Promise.all(Array.from({ length: batch }, () => openClient(variant, port)))));
      opened += batch;
    }
    child.send('measure');
    const [after] = (await once(child, 'message')) as [IdleServerReport];
    if (after.connections !== count) throw new Error(`idle ${variant}: server holds ${after.connections} connections, expected ${count}`);
    const per = (key: keyof NodeJS.MemoryUsage): number => (after.memory[key] - before.memory[key]) / count;
    return { rss: per('rss'), heap: per('heapUsed'), external: per('external') };
  } finally {
    for (const close of closers) close();
    child.kill();
    await once(child, 'exit');
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Runs the idle case for every variant, `runs` times interleaved. */
export async function runIdleBench(options: IdleBenchOptions = {}): Promise<IdleResult[]> {
  const count = options.connections ?? 10_000;
  const runs = options.runs ?? 3;
  const samples = new Map<Variant, { rss: number; heap: number; external: number }[]>(VARIANTS.map((v) => [v, []]));
  for (let run = 0; run < runs; run++) {
    for (const variant of VARIANTS) {
      options.log?.(`idle: ${variant}, ${count} connections, run ${run + 1} of ${runs}`);
      samples.get(variant)?.push(await measureOnce(variant, count));
    }
  }
  return VARIANTS.map((variant) => {
    const runsOf = samples.get(variant) ?? [];
    const heaps = runsOf.map((s) => s.heap);
    const heap = median(heaps);
    return {
      variant,
      rss: median(runsOf.map((s) => s.rss)),
      heap,
      external: median(runsOf.map((s) => s.external)),
      heapSpreadPct: ((Math.max(...heaps) - Math.min(...heaps)) / heap) * 100,
    };
  });
}

/** The table of an idle run, with rxsocket's heap against `ws`'s (the target: at most 1.0x). */
export function renderIdleReport(results: readonly IdleResult[], count: number): string {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  const ws = results.find((r) => r.variant === 'ws');
  const body = results.map((r) => [
    r.variant,
    kib(r.rss),
    `${kib(r.heap)} ±${r.heapSpreadPct.toFixed(0)}%`,
    kib(r.external),
    ws === undefined ? '' : `${(r.heap / ws.heap).toFixed(2)}x`,
  ]);
  return [
    renderTable([`server, per idle connection (${count} open, one echo each)`, 'RSS', 'heap', 'external', 'heap / ws'], body),
    'Target: rxsocket heap per connection at most ws\'s, and no write buffer kept while idle (external near 0).',
  ].join('\n');
}
