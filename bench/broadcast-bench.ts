/**
 * The broadcast case: one 64 B message at a time sent by a server to 1,000 clients, each message
 * once every client has the one before (a chat room's fan-out). The clients are the same raw
 * `node:net` sockets for every variant, in this process, counting bytes. Servers:
 *
 * - baseline: `node:net` by hand: each message framed once (u32 BE length + payload, one buffer)
 *   and that buffer written to each client with `socket.write(buf)`;
 * - broadcast: rxsocket's `listen` (length-prefix, raw) and `broadcast(connections, message)`;
 * - sink.next: the same server with `connection.sink.next(message)` per client (the way before).
 *
 * Every variant keeps its server and clients open across runs; the clients' reading is in every
 * figure alike (same process), so the ratio understates the servers' difference.
 */
import { once } from 'node:events';
import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Subscription } from 'rxjs';
import { broadcast, lengthPrefix, listen, raw, type Connection, type SocketAddress } from './library';
import { measureAsync, rowFromTimings, type AsyncTimedCase, type BenchRow } from './measure';

const PAYLOAD_BYTES = 64;
const FRAME_BYTES = 4 + PAYLOAD_BYTES;

/** Options of {@link runBroadcastBench}. */
export interface BroadcastBenchOptions {
  /** Connected clients. Default 1,000. */
  readonly clients?: number;
  /** Messages per timed run. Default 200. */
  readonly messages?: number;
  /** Timed runs per variant (after one warm-up run). Default 7. */
  readonly timedRuns?: number;
  readonly log?: (line: string) => void;
}

/** A server with its clients: `send` sends one message to every client. */
interface FanOut {
  send(payload: Buffer): void;
  close(): Promise<void>;
}

/** The clients' side: counts bytes from every client and resolves once a target is reached. */
class Arrivals {
  private bytes = 0;
  private target = Infinity;
  private resolve: () => void = () => undefined;
  readonly add = (chunk: Buffer): void => {
    this.bytes += chunk.length;
    if (this.bytes >= this.target) {
      this.target = Infinity;
      this.resolve();
    }
  };
  /** Resolves once `more` bytes arrived beyond what has so far. */
  next(more: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.target = this.bytes + more;
      this.resolve = resolve;
    });
  }
}

async function openClients(port: number, count: number, arrivals: Arrivals): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let k = 0; k < count; k++) {
    const socket = netConnect(port, '127.0.0.1');
    socket.on('data', arrivals.add);
    socket.on('error', () => undefined);
    sockets.push(socket);
    if (k % 100 === 99) await once(socket, 'connect');
  }
  await Promise.all(sockets.filter((s) => s.connecting).map((s) => once(s, 'connect')));
  return sockets;
}

async function closeAll(sockets: readonly Socket[]): Promise<void> {
  const open = sockets.filter((s) => !s.closed);
  const closed = open.map((s) => once(s, 'close'));
  for (const s of open) s.destroy();
  await Promise.all(closed);
}

/** The hand-written server: frames each message once, writes that buffer to every client. */
async function openNetFanOut(count: number, arrivals: Arrivals): Promise<FanOut> {
  const accepted: Socket[] = [];
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    accepted.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const clients = await openClients((server.address() as AddressInfo).port, count, arrivals);
  while (accepted.length < count) await new Promise((resolve) => setImmediate(resolve));
  return {
    send(payload) {
      const frame = Buffer.allocUnsafe(4 + payload.length);
      frame.writeUInt32BE(payload.length, 0);
      payload.copy(frame, 4);
      for (const socket of accepted) socket.write(frame);
    },
    async close() {
      await closeAll(clients);
      server.close();
    },
  };
}

/** rxsocket's server, sending with `broadcast` or with one `sink.next` per client. */
async function openLibraryFanOut(count: number, arrivals: Arrivals, how: 'broadcast' | 'sink.next'): Promise<FanOut> {
  const connections = new Set<Connection<Uint8Array, Uint8Array>>();
  let bound: (address: SocketAddress) => void = () => undefined;
  const listening = new Promise<SocketAddress>((resolve) => (bound = resolve));
  const subscription: Subscription = listen<Uint8Array>({ port: 0, framing: lengthPrefix(), codec: raw(), onListening: (a) => bound(a) }).subscribe(
    (connection) => {
      connections.add(connection);
      connection.closed$.subscribe(() => connections.delete(connection));
    },
  );
  const address = await listening;
  const clients = await openClients(address.family === 'unix' ? 0 : address.port, count, arrivals);
  while (connections.size < count) await new Promise((resolve) => setImmediate(resolve));
  return {
    send:
      how === 'broadcast'
        ? (payload) => void broadcast(connections, payload)
        : (payload) => {
            for (const connection of connections) connection.sink.next(payload);
          },
    async close() {
      subscription.unsubscribe();
      await closeAll(clients);
    },
  };
}

/** A case that sends `messages` messages, each once every client has the one before. */
function fanOutCase(name: string, open: (arrivals: Arrivals) => Promise<FanOut>, clients: number, messages: number): AsyncTimedCase & { close(): Promise<void> } {
  const arrivals = new Arrivals();
  let fanOut: FanOut | null = null;
  const payload = Buffer.alloc(PAYLOAD_BYTES, 0x62);
  return {
    name,
    setup: async () => {
      fanOut ??= await open(arrivals);
    },
    run: async () => {
      const server = fanOut as FanOut;
      for (let k = 0; k < messages; k++) {
        const arrived = arrivals.next(clients * FRAME_BYTES);
        server.send(payload);
        await arrived;
      }
    },
    close: async () => {
      await fanOut?.close();
      fanOut = null;
    },
  };
}

/** Measures the three servers, interleaved; deliveries (message x client) per second. */
export async function runBroadcastBench(options: BroadcastBenchOptions = {}): Promise<BenchRow> {
  const clients = options.clients ?? 1000;
  const messages = options.messages ?? 200;
  options.log?.(`broadcast: ${clients} clients, ${messages} messages of ${PAYLOAD_BYTES} B per run`);
  const cases = [
    fanOutCase('baseline', (a) => openNetFanOut(clients, a), clients, messages),
    fanOutCase('broadcast', (a) => openLibraryFanOut(clients, a, 'broadcast'), clients, messages),
    fanOutCase('sink.next', (a) => openLibraryFanOut(clients, a, 'sink.next'), clients, messages),
  ];
  try {
    const timings = await measureAsync(cases, { timedRuns: options.timedRuns ?? 7 });
    return rowFromTimings('broadcast', `64 B to ${clients.toLocaleString('en-US')} clients`, 'deliveries', clients * messages, timings);
  } finally {
    for (const c of cases) await c.close();
  }
}
