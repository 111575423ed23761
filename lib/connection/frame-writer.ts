import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { QueueOverflowError } from '../errors';
import type { Framing } from '../framing/framing';
import { NumberQueue } from '../internal/number-queue';
import { acquireBatch, releaseBatch } from './batch-pool';

/** Frames larger than this are written as their own parts instead of being copied into a batch. */
const SMALL_FRAME_BYTES = 16 * 1024;

/** What a {@link FrameWriter} tells its owner. */
export interface FrameWriterEvents {
  /** `writable` changed (see {@link FrameWriter.writable}). */
  writable(ready: boolean): void;
  /** A message would take the queue past its limit: the owner closes the connection with this error. */
  overflow(error: QueueOverflowError): void;
  /** Every byte accepted so far has been confirmed written to the kernel. */
  flushed(): void;
}

/** What a stopped writer never wrote. */
export interface Unsent {
  readonly bytes: number;
  readonly messages: number;
}

/**
 * The outbound half of a byte-stream connection, with exact accounting.
 *
 * Small frames are encoded straight into a 64 KiB batch buffer taken from a shared pool; a batch
 * goes to the socket as soon as it fills, and the rest of a tick's output at the end of the tick,
 * in one corked burst. Large payloads are passed on as their own parts, never copied. While the
 * socket asks to wait for 'drain', frames wait here.
 *
 * A byte counts as written once Node confirms (write callback) that the write holding it reached
 * the kernel; until then it is queued, whether it waits here or inside Node's socket buffer. The
 * bound `maxQueuedBytes` is checked at every message against that total: a message that would take
 * a non-empty queue past it is refused and `overflow` fires. The end offset of every message not
 * yet confirmed is kept (8 bytes a message), so the unsent messages are known exactly. Once every
 * byte is confirmed, the batch buffer is let go (back to the pool, for sockets): an idle
 * connection holds none.
 */
export class FrameWriter {
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private batchStart = 0;
  /** Sealed parts not yet handed to the socket. */
  private parts: Uint8Array[] = [];
  /** End offset (in bytes accepted so far) of each message not yet confirmed written. */
  private readonly messageEnds = new NumberQueue();
  /** Size of each write handed to the socket whose callback has not come yet. */
  private readonly inFlight = new NumberQueue();
  private accepted = 0;
  private confirmed = 0;
  private scheduled = false;
  private blocked = false;
  private ready = true;
  private ending = false;
  private ended = false;
  private stopped = false;
  private readonly highWater: number;
  /**
   * Whether a confirmed write is a copied one: a `net.Socket` (TCP, Unix, TLS) has handed the bytes
   * to the kernel (or encrypted them) by its write callback, so its batch buffers can be reused. Any
   * other `Duplex` (an in-memory pair, say) may still hold views of them: those are never pooled.
   */
  private readonly poolable: boolean;

  constructor(
    private readonly socket: Writable,
    private readonly framing: Framing,
    private readonly maxQueuedBytes: number,
    private readonly events: FrameWriterEvents,
  ) {
    this.highWater = maxQueuedBytes / 2;
    this.poolable = socket instanceof Socket;
  }

  /** Bytes accepted and not yet confirmed written to the kernel (here or in Node's socket buffer). */
  get queuedBytes(): number {
    return this.accepted - this.confirmed;
  }

  /** Messages accepted and not yet confirmed written: always the most recent ones. */
  get queuedMessages(): number {
    return this.messageEnds.length;
  }

  /**
   * True while the socket takes more without waiting for 'drain' and at most half of
   * `maxQueuedBytes` is queued: a producer that sends only while it is true, messages of at most
   * half the bound each, never reaches the bound.
   */
  get writable(): boolean {
    return this.ready;
  }

  /**
   * Frames `payload` and queues it. Returns false if it is refused because the queue is full
   * (`overflow` has fired). Throws a typed error, having accepted nothing, if it cannot be framed.
   */
  write(payload: Uint8Array): boolean {
    const size = this.framing.overheadBytes + payload.byteLength;
    const queued = this.accepted - this.confirmed;
    if (queued > 0 && queued + size > this.maxQueuedBytes) {
      this.events.overflow(new QueueOverflowError(queued + size, this.maxQueuedBytes));
      return false;
    }
    if (size <= SMALL_FRAME_BYTES) {
      let slab = this.slab;
      if (slab === null || slab.length - this.slabUsed < size) {
        this.seal();
        slab = this.slab = acquireBatch();
        this.slabUsed = this.batchStart = 0;
      }
      this.slabUsed = this.framing.encodeInto(payload, slab, this.slabUsed);
    } else {
      const [first, second] = this.framing.encodeFrame(payload);
      this.seal();
      this.parts.push(first, second);
    }
    this.accepted += size;
    this.messageEnds.push(this.accepted);
    // A full batch or a large frame goes out now; the rest of the tick's output at its end.
    if (this.parts.length > 0 && !this.blocked) this.handOver();
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
    this.updateWritable();
    return true;
  }

  /** Sends everything queued, then ends the socket (half-close). */
  end(): void {
    this.ending = true;
    this.flush();
  }

  /** Stops for good (the socket is gone) and says what was never confirmed written. */
  stop(): Unsent {
    const unsent = { bytes: this.accepted - this.confirmed, messages: this.messageEnds.length };
    if (!this.stopped) {
      this.stopped = true;
      this.socket.removeListener('drain', this.onDrain);
      this.parts = [];
      // Node may still hold views of the batch: it is left to the garbage collector, not pooled.
      this.slab = null;
      this.slabUsed = this.batchStart = 0;
      this.messageEnds.clear(true);
    }
    return unsent;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.stopped || this.ended) return;
    this.seal();
    if (this.blocked) return;
    this.handOver();
    if (this.ending && !this.blocked) {
      this.ended = true;
      this.socket.end();
    }
  };

  /** Hands every sealed part to the socket, corked into one `writev` when there are several. */
  private handOver(): void {
    const parts = this.parts;
    if (parts.length === 0) return;
    this.parts = [];
    let ok: boolean;
    if (parts.length === 1) {
      ok = this.writePart(parts[0] as Uint8Array);
    } else {
      this.socket.cork();
      ok = true;
      for (const part of parts) ok = this.writePart(part);
      this.socket.uncork();
    }
    if (!ok && !this.stopped) {
      this.blocked = true;
      this.socket.once('drain', this.onDrain);
      this.updateWritable();
    }
  }

  private writePart(part: Uint8Array): boolean {
    this.inFlight.push(part.byteLength);
    return this.socket.write(part, this.onWritten);
  }

  private readonly onWritten = (error?: Error | null): void => {
    const size = this.inFlight.shift() ?? 0;
    if (error != null || this.stopped) return;
    this.confirmed += size;
    const ends = this.messageEnds;
    while (ends.length > 0 && (ends.peek() as number) <= this.confirmed) ends.shift();
    if (this.confirmed === this.accepted) {
      if (this.slab !== null) {
        if (this.poolable) releaseBatch(this.slab);
        this.slab = null;
        this.slabUsed = this.batchStart = 0;
      }
      this.events.flushed();
    }
    this.updateWritable();
  };

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.flush();
    this.updateWritable();
  };

  private updateWritable(): void {
    const ready = !this.blocked && this.accepted - this.confirmed <= this.highWater;
    if (ready !== this.ready) {
      this.ready = ready;
      this.events.writable(ready);
    }
  }

  /** Moves the batch written since the last seal into the parts to send. */
  private seal(): void {
    if (this.slab !== null && this.slabUsed > this.batchStart) {
      this.parts.push(this.slab.subarray(this.batchStart, this.slabUsed));
      this.batchStart = this.slabUsed;
    }
  }
}
