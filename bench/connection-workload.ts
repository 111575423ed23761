/**
 * What the connection suite sends, shared by the library side and the `node:net` baseline: the
 * workloads (payload, message count, burst size), the receive-side tally, and the send pacing.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { json, raw, type Codec } from './library';

/** Senders pause once this many bytes wait to be written (library `queuedBytes`, socket `writableLength`). */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** Payload bytes a sender writes per burst before it yields to the event loop. */
const BURST_BYTES = 256 * 1024;

/** A ~100-byte JSON message. */
export interface Sample {
  readonly seq: number;
  readonly sensor: string;
  readonly celsius: number;
  readonly ok: boolean;
  readonly tags: readonly string[];
  readonly note: string;
}

/** How the baseline frames and parses one kind of message by hand (u32 BE length prefix). */
export interface BaselineWire<T> {
  /** Writes the whole frame of `message` at `offset` (room for `maxFrameBytes(...)` is there) and returns the end. */
  encodeInto(message: T, target: Buffer, offset: number): number;
  /** An upper bound of the frame size of `message` (header included). */
  maxFrameBytes(message: T): number;
  /** Parses one frame's payload. */
  readonly decode: (payload: Buffer) => T;
}

/** One throughput workload: the same messages go through the library and through the baseline. */
export interface Workload<T> {
  readonly name: string;
  /** Messages per timed run. */
  readonly messages: number;
  /** Messages per burst (one synchronous loop of sends). */
  readonly burst: number;
  /** Payload bytes of a whole timed run (for MB/s). */
  readonly payloadBytes: number;
  /** The i-th message. */
  readonly message: (i: number) => T;
  /** A number summed over received messages, to check that every one arrived intact. */
  readonly weigh: (message: T) => number;
  /** The sum of `weigh` over the first `count` messages. */
  readonly expectedWeight: (count: number) => number;
  /** The library codec. */
  readonly codec: Codec<T>;
  /** The baseline's hand-written equivalent. */
  readonly wire: BaselineWire<T>;
}

/** Raw payloads cycle through a pool of distinct buffers this large, so they are not all hot in the cache. */
const PAYLOAD_POOL_BYTES = 4 * 1024 * 1024;

/**
 * A raw workload: `messages` payloads of `payloadBytes` bytes, raw codec. The i-th message is one
 * of a pool of distinct payloads (about 4 MiB in all), as an application's messages would be.
 */
export function rawWorkload(name: string, payloadBytes: number, messages: number): Workload<Uint8Array> {
  const poolSize = 2 ** Math.max(4, Math.floor(Math.log2(PAYLOAD_POOL_BYTES / payloadBytes)));
  const pool: Uint8Array[] = [];
  for (let k = 0; k < poolSize; k++) pool.push(Buffer.alloc(payloadBytes, k & 0xff));
  const mask = poolSize - 1;
  return {
    name,
    messages,
    burst: Math.max(1, Math.floor(BURST_BYTES / payloadBytes)),
    payloadBytes: payloadBytes * messages,
    message: (i) => pool[i & mask] as Uint8Array,
    // Length plus first byte: a payload that arrives cut, or as the wrong one, changes the sum.
    weigh: (message) => message.byteLength + (message[0] as number),
    expectedWeight: memoize((count) => {
      let sum = payloadBytes * count;
      for (let i = 0; i < count; i++) sum += i & mask & 0xff;
      return sum;
    }),
    codec: raw(),
    wire: {
      maxFrameBytes: (message) => 4 + message.byteLength,
      encodeInto(message, target, offset) {
        target.writeUInt32BE(message.byteLength, offset);
        target.set(message, offset + 4);
        return offset + 4 + message.byteLength;
      },
      decode: (frame) => frame,
    },
  };
}

/** `f` with its results cached. */
function memoize(f: (count: number) => number): (count: number) => number {
  const cache = new Map<number, number>();
  return (count) => {
    let value = cache.get(count);
    if (value === undefined) cache.set(count, (value = f(count)));
    return value;
  };
}

/** The i-th JSON sample (about 100 bytes of JSON). */
function sample(i: number): Sample {
  return { seq: i, sensor: 'thermo-07', celsius: 21.5 + (i % 10), ok: true, tags: ['lab', 'north'], note: 'steady state' };
}

/** A JSON workload: `messages` ~100-byte objects, json() codec vs JSON.stringify/JSON.parse by hand. */
export function jsonWorkload(name: string, messages: number): Workload<Sample> {
  let payloadBytes = 0;
  for (let i = 0; i < messages; i++) payloadBytes += Buffer.byteLength(JSON.stringify(sample(i)));
  return {
    name: `${name} (${Math.round(payloadBytes / messages)} B avg)`,
    messages,
    burst: Math.max(1, Math.floor(BURST_BYTES / (payloadBytes / messages))),
    payloadBytes,
    message: sample,
    weigh: (message) => message.seq,
    expectedWeight: (count) => (count * (count - 1)) / 2,
    codec: json<Sample>(),
    wire: {
      // Written straight into the batch as UTF-8; 3 bytes per UTF-16 unit is the worst case.
      maxFrameBytes: () => 4 + 1024,
      encodeInto(message, target, offset) {
        const text = JSON.stringify(message);
        if (text.length * 3 > 1024) throw new Error('sample too large for the baseline wire');
        const written = target.write(text, offset + 4, 'utf8');
        target.writeUInt32BE(written, offset);
        return offset + 4 + written;
      },
      decode: (frame) => JSON.parse(frame.toString('utf8')) as Sample,
    },
  };
}

/** Counts the messages a server receives in one run and settles once all have arrived. */
export class Tally<T> {
  private count = 0;
  private weight = 0;
  private target = -1;
  private resolve: (() => void) | null = null;

  constructor(private readonly workload: Workload<T>) {}

  /** Starts a run of `count` messages; the promise resolves when the last one arrives. */
  start(count: number): Promise<void> {
    this.workload.expectedWeight(count); // computed now, not when the last message arrives
    this.count = this.weight = 0;
    this.target = count;
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }

  /** The per-message callback of the receiving side. */
  readonly add = (message: T): void => {
    this.weight += this.workload.weigh(message);
    if (++this.count === this.target) this.finish();
  };

  private finish(): void {
    const expected = this.workload.expectedWeight(this.target);
    if (this.weight !== expected) throw new Error(`${this.workload.name}: received weight ${this.weight}, expected ${expected}`);
    this.target = -1;
    this.resolve?.();
    this.resolve = null;
  }
}

/** Yields to the event loop once (a macrotask, so I/O callbacks, such as the server's reads, run). */
export function yieldToLoop(): Promise<void> {
  return nextMacrotask();
}
