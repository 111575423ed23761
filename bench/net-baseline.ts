/**
 * The connection suite's baseline: what a competent engineer writes by hand on `node:net` for a
 * u32 big-endian length-prefixed protocol. Senders encode a whole burst into one buffer and write
 * it once; receivers run the hand-written decoder of `baselines.ts` (frames inside a chunk are
 * views, a frame split across chunks is assembled once). Nagle is off on every socket.
 */
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createLengthPrefixBaseline } from './baselines';
import { HIGH_WATER_BYTES, Tally, yieldToLoop, type Workload } from './connection-workload';

/** Size of the buffers a baseline sender encodes bursts into: a whole burst (256 KiB of payload) and its headers. */
const OUT_BUFFER_BYTES = 320 * 1024;

/** An open client-to-server pair for the throughput scenario. */
export interface ThroughputPair {
  /** Sends the workload's first `messages` messages from the client; resolves once the server has decoded all. */
  run(messages: number): Promise<void>;
  /** Closes both ends and waits until they are closed. */
  readonly close: () => Promise<void>;
}

/** An open pair for the ping-pong scenario. */
export interface PingPongPair {
  /** Makes `rtts.length` round trips, one in flight, and writes each round-trip time (ns) into `rtts`. */
  run(rtts: Float64Array): Promise<void>;
  /** Closes both ends and waits until they are closed. */
  readonly close: () => Promise<void>;
}

interface NetPair {
  readonly client: Socket;
  readonly server: Socket;
  readonly close: () => Promise<void>;
}

/** Opens a TCP server on 127.0.0.1, port 0, and one client connected to it; Nagle off on both. */
async function openNetPair(): Promise<NetPair> {
  const listener: Server = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const [server] = await accepted;
  client.setNoDelay(true);
  server.setNoDelay(true);
  return {
    client,
    server,
    async close() {
      const closed = Promise.all([once(client, 'close'), once(server, 'close')]);
      client.end();
      listener.close();
      await closed;
    },
  };
}

/**
 * Batches frames into one large buffer; `flush` writes what is there in one `socket.write`. A
 * written buffer belongs to the socket until its write callback, then goes back to a free list,
 * so the sender keeps reusing a few warm buffers instead of allocating one per burst.
 */
class OutBuffer {
  private readonly free: Buffer[] = [];
  private buffer: Buffer;
  private used = 0;

  constructor(private readonly socket: Socket) {
    this.buffer = this.acquire();
  }

  /** Appends one frame, flushing first if it would not fit. */
  append<T>(workload: Workload<T>, message: T): void {
    const room = workload.wire.maxFrameBytes(message);
    if (this.buffer.length - this.used < room) {
      this.flush();
      if (room > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(room);
    }
    this.used = workload.wire.encodeInto(message, this.buffer, this.used);
  }

  flush(): void {
    if (this.used === 0) return;
    const written = this.buffer;
    this.socket.write(written.subarray(0, this.used), () => {
      if (written.length === OUT_BUFFER_BYTES) this.free.push(written);
    });
    this.buffer = this.acquire();
    this.used = 0;
  }

  private acquire(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(OUT_BUFFER_BYTES);
  }
}

/** The baseline throughput pair: bursts encoded by hand into one buffer, written once each. */
export async function openNetThroughput<T>(workload: Workload<T>): Promise<ThroughputPair> {
  const { client, server, close } = await openNetPair();
  const tally = new Tally(workload);
  const decode = workload.wire.decode;
  const decoder = createLengthPrefixBaseline((frame) => tally.add(decode(frame)));
  server.on('data', (chunk: Buffer) => decoder.push(chunk));
  const out = new OutBuffer(client);
  return {
    async run(messages) {
      const arrived = tally.start(messages);
      const { burst, message } = workload;
      for (let sent = 0; sent < messages; ) {
        const end = Math.min(messages, sent + burst);
        for (; sent < end; sent++) out.append(workload, message(sent));
        out.flush();
        await yieldToLoop();
        while (client.writableLength > HIGH_WATER_BYTES) await once(client, 'drain');
      }
      await arrived;
    },
    close,
  };
}

/** A fresh buffer holding the frame of `payload`: u32 BE length, then the payload. */
function frameOf(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(4 + payload.byteLength);
  frame.writeUInt32BE(payload.byteLength, 0);
  frame.set(payload, 4);
  return frame;
}

/** The baseline ping-pong pair: each message (and each echo) is one `socket.write` of header + payload. */
export async function openNetPingPong(payload: Uint8Array): Promise<PingPongPair> {
  const { client, server, close } = await openNetPair();
  const echo = createLengthPrefixBaseline((frame) => server.write(frameOf(frame)));
  server.on('data', (chunk: Buffer) => echo.push(chunk));
  let rtts: Float64Array = new Float64Array(0);
  let done = (): void => undefined;
  let count = 0;
  let start = 0n;
  const replies = createLengthPrefixBaseline(() => {
    const now = process.hrtime.bigint();
    rtts[count++] = Number(now - start);
    if (count === rtts.length) {
      done();
      return;
    }
    start = now;
    client.write(frameOf(payload));
  });
  client.on('data', (chunk: Buffer) => replies.push(chunk));
  return {
    run(into) {
      rtts = into;
      count = 0;
      return new Promise<void>((resolve) => {
        done = resolve;
        start = process.hrtime.bigint();
        client.write(frameOf(payload));
      });
    },
    close,
  };
}
