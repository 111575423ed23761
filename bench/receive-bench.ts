/**
 * The receive-path case: one TCP stream of 1,000,000 length-prefixed 64 B frames, replayed by a
 * raw `node:net` client in 64 KiB writes (the same sender for both variants), received by a
 * hand-written `node:net` server (the `baselines.ts` decoder, counting frames in its callback) or
 * by rxsocket's `listen` (`messages$` counted). Timed from the first write to the last frame
 * counted; a fresh connection per run.
 */
import { once } from 'node:events';
import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Subscription } from 'rxjs';
import { createLengthPrefixBaseline } from './baselines';
import { freshPairCase } from './connection-bench';
import { lengthPrefix, listen, raw, type SocketAddress } from './library';
import { measureAsync, rowFromTimings, type BenchRow } from './measure';

const WRITE_BYTES = 64 * 1024;

/** An open receiver with its sender: `run` replays the wire and resolves once every frame arrived. */
interface ReceivePair {
  run(): Promise<void>;
  close(): Promise<void>;
}

/** The wire of `frames` frames of `payloadBytes` each (u32 BE length, then the payload). */
function buildWire(frames: number, payloadBytes: number): Buffer {
  const wire = Buffer.allocUnsafe(frames * (4 + payloadBytes));
  for (let i = 0, at = 0; i < frames; i++, at += 4 + payloadBytes) {
    wire.writeUInt32BE(payloadBytes, at);
    wire.fill(i & 0xff, at + 4, at + 4 + payloadBytes);
  }
  return wire;
}

/** Writes `wire` in 64 KiB writes, waiting for 'drain' whenever the socket asks to. */
async function replay(socket: Socket, wire: Buffer): Promise<void> {
  for (let at = 0; at < wire.length; at += WRITE_BYTES) {
    if (!socket.write(wire.subarray(at, at + WRITE_BYTES))) await once(socket, 'drain');
  }
}

/** Counts frames; resolves the run's promise at the expected count. */
class FrameCount {
  private count = 0;
  private resolve: () => void = () => undefined;
  constructor(private readonly expected: number) {}
  start(): Promise<void> {
    this.count = 0;
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }
  readonly add = (): void => {
    if (++this.count === this.expected) this.resolve();
  };
}

async function openSender(port: number): Promise<Socket> {
  const socket = netConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setNoDelay(true);
  return socket;
}

async function openNetReceiver(wire: Buffer, frames: number): Promise<ReceivePair> {
  const counter = new FrameCount(frames);
  const server: Server = createServer((socket) => {
    const decoder = createLengthPrefixBaseline(counter.add);
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sender = await openSender((server.address() as AddressInfo).port);
  return {
    async run() {
      const arrived = counter.start();
      await replay(sender, wire);
      await arrived;
    },
    async close() {
      sender.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function openLibraryReceiver(wire: Buffer, frames: number): Promise<ReceivePair> {
  const counter = new FrameCount(frames);
  let subscription: Subscription | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const onListening = (address: SocketAddress): void => resolve(address.family === 'unix' ? 0 : address.port);
    subscription = listen({ port: 0, framing: lengthPrefix(), codec: raw(), onListening }).subscribe({
      next: (connection) => connection.messages$.subscribe({ next: counter.add, error: () => undefined }),
      error: reject,
    });
  });
  const sender = await openSender(port);
  return {
    async run() {
      const arrived = counter.start();
      await replay(sender, wire);
      await arrived;
    },
    close() {
      sender.destroy();
      subscription?.unsubscribe();
      return Promise.resolve();
    },
  };
}

/** Measures the receive path: baseline and library runs interleaved, a fresh connection each. */
export async function runReceiveBench(options: { readonly frames?: number; readonly timedRuns?: number; readonly log?: (line: string) => void } = {}): Promise<BenchRow> {
  const frames = options.frames ?? 1_000_000;
  const wire = buildWire(frames, 64);
  options.log?.(`receive: ${frames} frames of 64 B, ${(wire.length / 2 ** 20).toFixed(1)} MiB in 64 KiB writes`);
  const cases = [
    freshPairCase('baseline', () => openNetReceiver(wire, frames), () => Promise.resolve(), (pair) => pair.run()),
    freshPairCase('library', () => openLibraryReceiver(wire, frames), () => Promise.resolve(), (pair) => pair.run()),
  ];
  const timings = await measureAsync(cases, { timedRuns: options.timedRuns ?? 5 });
  return rowFromTimings('receive', '64 B frames, one stream in 64 KiB writes', 'frames', frames, timings);
}
