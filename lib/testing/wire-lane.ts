import type { SchedulerLike, Subscription } from 'rxjs';
import { InvalidOptionError } from '../errors';
import { rechunk } from './chunking';

/**
 * How a lane cuts the bytes it delivers: `'as-written'` (each write arrives as one chunk),
 * `'coalesce'` (everything written within one event-loop turn arrives as one chunk), `'bytewise'`
 * (one byte per chunk), or chunk sizes (each write cut into these sizes, cycling).
 *
 * @example
 * ```ts
 * wire.toServer.chunking([4, 1]); // 4 bytes, 1 byte, 4 bytes, ... of each write
 * ```
 */
export type Chunking = 'as-written' | 'coalesce' | 'bytewise' | readonly number[];

/**
 * One direction of an in-memory wire: the bytes one end wrote and the other has not read yet.
 * Every setter returns the lane, so calls chain: `wire.toServer.chunking('bytewise').delay(5)`.
 *
 * @example
 * ```ts
 * const { client, server, wire } = connectionPair({ codec: json() });
 * wire.toServer.stall();          // what the client sends stays in transit
 * client.sink.next({ hello: 1 });
 * await settle();
 * wire.toServer.release(3);       // the server gets 3 bytes: a partial frame
 * ```
 */
export interface WireLane {
  /** Cuts the bytes written from now on as `mode` says. */
  chunking(mode: Chunking): this;
  /** Delivers bytes written from now on `ms` milliseconds later, on the pair's scheduler (order is kept). */
  delay(ms: number): this;
  /** Holds every byte (and the end of stream) in transit until {@link release}. */
  stall(): this;
  /** Without an argument, delivers everything held and flows again; with one, lets `byteCount` more bytes through and stays stalled. */
  release(byteCount?: number): this;
  /** Bytes written and not yet delivered (in transit, delayed or held). */
  readonly heldBytes: number;
  /** Bytes delivered to the reading end so far. */
  readonly deliveredBytes: number;
  /** Chunks delivered to the reading end so far (how the reader saw the bytes cut). */
  readonly deliveredChunks: number;
}

/** The reading end of a lane. */
export interface LaneReceiver {
  /** Hands a chunk to the reader; `false` asks the lane to wait for {@link Lane.resume}. */
  push(chunk: Uint8Array): boolean;
  /** The sender ended its side: end of stream for the reader. */
  end(): void;
}

type InTransit = { readonly due: number; readonly bytes: Uint8Array } | { readonly due: number; readonly bytes: null };

/** A {@link WireLane}: an ordered queue of chunks in transit between two in-memory stream ends. */
export class Lane implements WireLane {
  private queue: InTransit[] = [];
  private queued = 0;
  private mode: Chunking = 'as-written';
  private delayMs = 0;
  private stalled = false;
  /** Bytes `release(n)` still lets through while stalled. */
  private budget = 0;
  /** The reader asked to wait (its buffer is full). */
  private blocked = false;
  private pumping = false;
  private ended = false;
  private stopped = false;
  private timer: Subscription | null = null;
  private turn: NodeJS.Immediate | null = null;
  /** A coalescing turn has passed: deliver what was written during it. */
  private turnDone = false;
  /** Write callbacks held while more than `highWaterMark` bytes are in transit. */
  private writers: Array<() => void> = [];
  private delivered = 0;
  private chunks = 0;

  constructor(
    private readonly receiver: LaneReceiver,
    private readonly scheduler: SchedulerLike,
    private readonly highWaterMark: number,
  ) {}

  get heldBytes(): number {
    return this.queued;
  }

  get deliveredBytes(): number {
    return this.delivered;
  }

  get deliveredChunks(): number {
    return this.chunks;
  }

  chunking(mode: Chunking): this {
    const named = mode === 'as-written' || mode === 'coalesce' || mode === 'bytewise';
    if (!named && !(Array.isArray(mode) && mode.length > 0 && mode.every((size) => size >= 1))) {
      throw new InvalidOptionError('chunking', mode, "'as-written', 'coalesce', 'bytewise' or chunk sizes >= 1");
    }
    this.mode = mode;
    return this;
  }

  delay(ms: number): this {
    if (!(ms >= 0)) throw new InvalidOptionError('delay', ms, 'a non-negative number of milliseconds');
    this.delayMs = ms;
    return this;
  }

  stall(): this {
    this.stalled = true;
    this.budget = 0;
    return this;
  }

  release(byteCount?: number): this {
    if (byteCount === undefined) {
      this.stalled = false;
      this.budget = 0;
    } else {
      if (!(byteCount >= 0)) throw new InvalidOptionError('byteCount', byteCount, 'a non-negative number');
      this.budget += byteCount;
    }
    this.pump();
    return this;
  }

  /** Takes a written chunk (copied, as a kernel would); `done` runs once the writer may go on. */
  write(chunk: Uint8Array, done: () => void): void {
    if (this.stopped || this.ended) {
      done();
      return;
    }
    const copy = Uint8Array.prototype.slice.call(chunk);
    const due = this.scheduler.now() + this.delayMs;
    const pieces = this.mode === 'bytewise' ? rechunk(copy, [1]) : Array.isArray(this.mode) ? rechunk(copy, this.mode as number[]) : [copy];
    for (const bytes of pieces) this.queue.push({ due, bytes });
    this.queued += copy.byteLength;
    if (this.queued <= this.highWaterMark) done();
    else this.writers.push(done);
    this.pump();
  }

  /** The writer ended its side: the end of stream follows the bytes in transit. */
  end(): void {
    if (this.stopped || this.ended) return;
    this.ended = true;
    this.queue.push({ due: this.scheduler.now() + this.delayMs, bytes: null });
    this.pump();
  }

  /** The reader wants more. */
  resume(): void {
    this.blocked = false;
    this.pump();
  }

  /** Drops everything in transit and cancels the lane's timers (a reset, or the reader is gone). */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.queued = 0;
    this.timer?.unsubscribe();
    this.timer = null;
    if (this.turn !== null) clearImmediate(this.turn);
    this.turn = null;
    // The writer is closing too: its callbacks are not waited for any more.
    this.writers = [];
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.deliverDue();
    } finally {
      this.pumping = false;
    }
  }

  private deliverDue(): void {
    while (!this.stopped && !this.blocked && this.queue.length > 0) {
      const head = this.queue[0] as InTransit;
      const wait = head.due - this.scheduler.now();
      if (wait > 0) {
        this.timer ??= this.scheduler.schedule(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      if (head.bytes === null) {
        if (this.stalled) return;
        this.queue.shift();
        this.receiver.end();
        continue;
      }
      if (this.stalled && this.budget === 0) return;
      if (this.mode === 'coalesce' && !this.turnDone) {
        this.turn ??= setImmediate(() => {
          this.turn = null;
          this.turnDone = true;
          this.pump();
          this.turnDone = false;
        });
        return;
      }
      const limit = this.stalled ? this.budget : Infinity;
      this.deliver(this.mode === 'coalesce' ? this.takeReady(limit) : this.take(limit));
    }
  }

  /** The head chunk, or its first `limit` bytes. */
  private take(limit: number): Uint8Array {
    const head = this.queue[0] as { readonly due: number; readonly bytes: Uint8Array };
    if (head.bytes.byteLength > limit) {
      this.queue[0] = { due: head.due, bytes: head.bytes.subarray(limit) };
      return head.bytes.subarray(0, limit);
    }
    this.queue.shift();
    return head.bytes;
  }

  /** Every chunk now due, up to an end of stream and at most `limit` bytes, joined into one. */
  private takeReady(limit: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const now = this.scheduler.now();
    for (let left = limit, head = this.queue[0]; left > 0 && head !== undefined && head.bytes !== null && head.due <= now; head = this.queue[0]) {
      const part = this.take(left);
      parts.push(part);
      left -= part.byteLength;
    }
    return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  }

  private deliver(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    if (this.stalled) this.budget -= chunk.byteLength;
    this.queued -= chunk.byteLength;
    this.delivered += chunk.byteLength;
    this.chunks++;
    if (!this.receiver.push(chunk)) this.blocked = true;
    while (this.writers.length > 0 && this.queued <= this.highWaterMark) (this.writers.shift() as () => void)();
  }
}
