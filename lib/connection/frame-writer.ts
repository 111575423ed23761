import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { WRITE_BATCH_BYTES } from '../constants';
import { QueueOverflowError } from '../errors';
import type { FrameParts, Framing } from '../framing/framing';
import { NumberQueue } from '../internal/number-queue';
import { acquireBatch, releaseBatch } from './batch-pool';
import { flushAtEndOfTick, type Flushable } from './flush-queue';

/** Frames larger than this are written as their own parts instead of being copied into a batch. */
const SMALL_FRAME_BYTES = 16 * 1024;
/** Most bytes handed to the socket in one write request: the most a reset can leave in doubt. */
const MAX_WRITE_BYTES = WRITE_BATCH_BYTES;

/**
 * What a {@link FrameWriter} tells its owner, as methods of the owner itself (one object per
 * connection, no closures).
 */
export interface FrameWriterEvents {
  /** `writable` changed (see {@link FrameWriter.writable}). */
  writerReady(ready: boolean): void;
  /** A message would take the queue past its limit: the owner closes the connection with this error. */
  writerOverflow(error: QueueOverflowError): void;
  /** Every byte accepted so far has been confirmed written to the kernel. */
  writerFlushed(): void;
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
 * goes to the socket as soon as it fills, and the rest of a tick's output at the end of the tick.
 * Large payloads are passed on as views, never copied. At most one write request of at most
 * 64 KiB is with the socket at a time: while the kernel takes writes at once, requests follow each
 * other in the same tick; once one has to wait, the rest waits here for its callback.
 *
 * A byte counts as written once Node's socket no longer holds it (`writableLength`, read while the
 * socket is alive, after each hand-over and at each write callback): it reached the kernel. Until
 * then it is queued. Callbacks are not trusted once the socket is destroyed (Node then reports a
 * write that never completed as a success), so what was not confirmed by then is unsent. The
 * bound `maxQueuedBytes` is checked at every message: a message that would take a non-empty queue
 * past it is refused and `overflow` fires. The end offset of each message not yet confirmed is
 * kept (8 bytes a message), so the unsent messages are known exactly. Once every byte is
 * confirmed, the batch buffer is let go (back to the pool, for sockets): an idle connection holds none.
 */
export class FrameWriter<S extends Writable = Writable> implements Flushable {
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private batchStart = 0;
  /** Sealed parts not yet handed to the socket, from `partsHead` on. */
  private parts: Uint8Array[] = [];
  private partsHead = 0;
  /** Bytes in those parts. */
  private partsBytes = 0;
  /** End offset (in bytes accepted so far) of each message not yet confirmed written. */
  private readonly messageEnds = new NumberQueue();
  /** Bytes accepted, handed to the socket, and confirmed written by it, since the start. */
  private accepted = 0;
  private handed = 0;
  private confirmed = 0;
  private scheduled = false;
  private ready = true;
  private ending = false;
  private ended = false;
  private stopped = false;

  /** `socket` is the stream written to (its owner reads it from here: one reference per connection). */
  constructor(
    readonly socket: S,
    private readonly framing: Framing,
    private readonly maxQueuedBytes: number,
    private readonly events: FrameWriterEvents,
  ) {}

  /** Bytes accepted and not yet confirmed written to the kernel (here or in Node's socket buffer). */
  get queuedBytes(): number {
    return this.accepted - this.confirmed;
  }

  /** Messages accepted and not yet confirmed written: always the most recent ones. */
  get queuedMessages(): number {
    return this.messageEnds.length;
  }

  /**
   * True unless the socket pushes back (a write waits with at least its `writableHighWaterMark`
   * bytes, as when Node's `write()` returns false) or more than half of `maxQueuedBytes` is queued:
   * a producer that sends only while it is true, messages of at most half the bound each, never
   * reaches the bound.
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
    if (this.refused(size)) return false;
    // `size` is an upper bound when the header's width varies (a varint length): count what was written.
    let written: number;
    if (size <= SMALL_FRAME_BYTES) {
      let slab = this.slab;
      if (slab === null || slab.length - this.slabUsed < size) slab = this.freshBatch();
      const at = this.slabUsed;
      this.slabUsed = this.framing.encodeInto(payload, slab, at);
      written = this.slabUsed - at;
    } else {
      const [first, second] = this.framing.encodeFrame(payload);
      this.seal();
      this.parts.push(first, second);
      written = first.byteLength + second.byteLength;
      this.partsBytes += written;
    }
    return this.count(written);
  }

  /**
   * {@link write} for a payload given as text (its UTF-8 bytes), which a small frame writes
   * straight into the batch with the framing's `encodeTextInto` (the caller checks it has one):
   * the same frame, bound, ledger and errors. Returns the payload's size in bytes, or -1 if it is
   * refused because the queue is full (`overflow` has fired).
   */
  writeText(text: string): number {
    const framing = this.framing as Framing & Required<Pick<Framing, 'encodeTextInto'>>;
    const overhead = framing.overheadBytes;
    // An upper bound (3 bytes a UTF-16 unit); the text is measured only when the bound decides something.
    const bound = overhead + text.length * 3;
    if (bound > SMALL_FRAME_BYTES || this.wouldOverflow(bound)) {
      const size = overhead + Buffer.byteLength(text, 'utf8');
      if (size > SMALL_FRAME_BYTES) {
        const payload = Buffer.from(text, 'utf8');
        return this.write(payload) ? payload.byteLength : -1;
      }
      if (this.refused(size)) return -1;
    }
    let slab = this.slab;
    let at = this.slabUsed;
    let end = slab === null ? -1 : framing.encodeTextInto(text, slab, at, slab.length);
    if (end < 0) {
      slab = this.freshBatch();
      at = 0;
      end = framing.encodeTextInto(text, slab, 0, slab.length);
      if (end < 0) {
        // Only a framing that breaks its contract gets here: the frame takes the general path.
        const payload = Buffer.from(text, 'utf8');
        return this.write(payload) ? payload.byteLength : -1;
      }
    }
    this.slabUsed = end;
    this.count(end - at);
    return end - at - overhead;
  }

  /** Seals the current batch and starts writing into a new one. */
  private freshBatch(): Buffer {
    this.seal();
    this.slabUsed = this.batchStart = 0;
    return (this.slab = acquireBatch());
  }

  /**
   * Queues a frame framed elsewhere (by {@link SharedMessage}, once for many connections) exactly
   * as {@link write} queues one it frames: the same bound, the same ledger. The parts are only
   * read, never changed: a whole frame sent while no batch is open (an idle connection) and a
   * large one are passed on as views; a small one behind others is copied into the batch.
   */
  writeFrame(frame: FrameParts): boolean {
    const [first, second] = frame;
    const size = first.byteLength + second.byteLength;
    if (this.refused(size)) return false;
    if (this.slab === null && second.byteLength === 0) {
      // Nothing in a batch (an idle connection): the shared frame goes as it is, no batch taken,
      // and at once, with no flush to schedule (the tick's later messages follow at its end, as usual).
      this.parts.push(first);
      this.partsBytes += size;
      this.accepted += size;
      this.messageEnds.push(this.accepted);
      this.handOver();
      return true;
    } else if (size <= SMALL_FRAME_BYTES) {
      let slab = this.slab;
      if (slab === null || slab.length - this.slabUsed < size) slab = this.freshBatch();
      slab.set(first, this.slabUsed);
      if (second.byteLength > 0) slab.set(second, this.slabUsed + first.byteLength);
      this.slabUsed += size;
    } else {
      this.seal();
      this.parts.push(first, second);
      this.partsBytes += size;
    }
    return this.count(size);
  }

  /** True if a frame of `size` bytes would take a non-empty queue past `maxQueuedBytes`. */
  private wouldOverflow(size: number): boolean {
    const queued = this.accepted - this.confirmed;
    return queued > 0 && queued + size > this.maxQueuedBytes;
  }

  /** The bound, checked at every message: true (and `overflow` fired) if a frame of `size` bytes is refused. */
  private refused(size: number): boolean {
    if (!this.wouldOverflow(size)) return false;
    this.events.writerOverflow(new QueueOverflowError(this.accepted - this.confirmed + size, this.maxQueuedBytes));
    return true;
  }

  /** Counts `written` bytes as one accepted message, and hands over or schedules the flush. */
  private count(written: number): boolean {
    this.accepted += written;
    this.messageEnds.push(this.accepted);
    // A full write request's worth (a full batch, large frames) goes out now; the rest of the
    // tick's output at its end.
    if (this.partsBytes >= MAX_WRITE_BYTES) this.handOver();
    if (!this.scheduled) {
      this.scheduled = true;
      flushAtEndOfTick(this);
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
      this.parts = [];
      this.partsHead = this.partsBytes = 0;
      // Node may still hold views of the batch: it is left to the garbage collector, not pooled.
      this.slab = null;
      this.slabUsed = this.batchStart = 0;
      this.messageEnds.clear(true);
    }
    return unsent;
  }

  /** @internal For the flush queue: hands over what this tick queued. */
  flushQueued(): void {
    this.scheduled = false;
    this.flush();
  }

  private flush(): void {
    if (this.stopped || this.ended) return;
    this.seal();
    this.handOver();
  }

  /**
   * Hands sealed parts to the socket, up to 64 KiB a request (corked when there are several), for
   * as long as the socket completes each request at once; ends the socket once all is handed.
   */
  private handOver(): void {
    const socket = this.socket;
    while (!this.stopped && this.partsHead < this.parts.length && socket.writableLength === 0) {
      let budget = MAX_WRITE_BYTES;
      const corked = this.parts.length - this.partsHead > 1 && (this.parts[this.partsHead] as Uint8Array).byteLength < budget;
      if (corked) socket.cork();
      while (budget > 0 && this.partsHead < this.parts.length) {
        let part = this.parts[this.partsHead] as Uint8Array;
        if (part.byteLength > budget) {
          // A large payload goes in views of at most the budget: never copied, never all in doubt.
          this.parts[this.partsHead] = part.subarray(budget);
          part = part.subarray(0, budget);
        } else {
          this.parts[this.partsHead++] = EMPTY;
        }
        budget -= part.byteLength;
        this.partsBytes -= part.byteLength;
        this.handed += part.byteLength;
        socket.write(part, this.onWritten);
      }
      if (corked) socket.uncork();
      this.confirm();
    }
    if (this.partsHead === this.parts.length) {
      this.parts.length = this.partsHead = 0;
      if (this.ending && !this.ended && !this.stopped && this.slabUsed === this.batchStart) {
        this.ended = true;
        socket.end();
      }
    } else if (this.partsHead > 1024 && this.partsHead * 2 > this.parts.length) {
      this.parts = this.parts.slice(this.partsHead);
      this.partsHead = 0;
    }
    this.updateWritable();
  }

  private readonly onWritten = (): void => {
    this.confirm();
    this.handOver();
  };

  /** Counts as written what the live socket no longer holds. */
  private confirm(): void {
    if (this.stopped || this.socket.destroyed) return;
    const confirmed = this.handed - this.socket.writableLength;
    if (confirmed <= this.confirmed) return;
    this.confirmed = confirmed;
    const ends = this.messageEnds;
    while (ends.length > 0 && (ends.peek() as number) <= confirmed) ends.shift();
    if (confirmed === this.accepted) {
      if (this.slab !== null) {
        // A `net.Socket` (TCP, Unix, TLS) has handed the bytes to the kernel (or encrypted them)
        // by its write callback, so the batch can be reused. Any other `Duplex` (an in-memory pair,
        // say) may still hold views of it: it is never pooled.
        if (this.socket instanceof Socket) releaseBatch(this.slab);
        this.slab = null;
        this.slabUsed = this.batchStart = 0;
      }
      // Drained: the offsets ring goes too (one message at a time needs none: see NumberQueue).
      ends.clear(true);
      this.events.writerFlushed();
    }
  }

  private updateWritable(): void {
    const socket = this.socket;
    const ready = socket.writableLength < socket.writableHighWaterMark && this.accepted - this.confirmed <= this.maxQueuedBytes / 2;
    if (ready !== this.ready) {
      this.ready = ready;
      this.events.writerReady(ready);
    }
  }

  /** Moves the batch written since the last seal into the parts to send. */
  private seal(): void {
    if (this.slab === null || this.slabUsed === this.batchStart) return;
    this.parts.push(this.slab.subarray(this.batchStart, this.slabUsed));
    this.partsBytes += this.slabUsed - this.batchStart;
    this.batchStart = this.slabUsed;
  }
}

const EMPTY = new Uint8Array(0);
