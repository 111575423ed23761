import type { Writable } from 'node:stream';
import { WRITE_BATCH_BYTES } from '../constants';
import { QueueOverflowError } from '../errors';
import type { Framing } from '../framing/framing';

/** Frames larger than this are written as their own parts instead of being copied into a batch. */
const SMALL_FRAME_BYTES = 16 * 1024;

/** What a {@link FrameWriter} tells its owner. */
export interface FrameWriterEvents {
  /** Writability changed: false while the socket asks to wait for 'drain'. */
  writable(ready: boolean): void;
  /** The queue passed its limit: the owner closes the connection with this error. */
  overflow(error: QueueOverflowError): void;
}

/**
 * The outbound half of a connection. Frames written in one tick are coalesced: small frames are
 * encoded straight into a shared 64 KiB batch buffer (no allocation per message), large payloads
 * are passed on as their own parts (never copied), and the whole tick's output goes to the socket
 * in one corked burst (one `writev`). While the socket asks to wait for 'drain', frames queue up
 * to `maxQueuedBytes`; past that, `overflow` fires.
 */
export class FrameWriter {
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private batchStart = 0;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private messages = 0;
  private scheduled = false;
  private blocked = false;
  private ending = false;
  private stopped = false;

  constructor(
    private readonly socket: Writable,
    private readonly framing: Framing,
    private readonly maxQueuedBytes: number,
    private readonly events: FrameWriterEvents,
  ) {}

  /** Bytes accepted and not yet handed to the socket. */
  get queuedBytes(): number {
    return this.partsBytes + this.slabUsed - this.batchStart;
  }

  /** Messages accepted and not yet handed to the socket: always the most recent ones. */
  get queuedMessages(): number {
    return this.messages;
  }

  /** True while the socket is not asking to wait for 'drain'. */
  get writable(): boolean {
    return !this.blocked;
  }

  /** Frames `payload` and queues it for the next flush. Throws a typed error if it cannot be framed. */
  write(payload: Uint8Array): void {
    const size = this.framing.overheadBytes + payload.byteLength;
    if (size <= SMALL_FRAME_BYTES) {
      let slab = this.slab;
      if (slab === null || slab.length - this.slabUsed < size) {
        this.seal();
        slab = this.slab = Buffer.allocUnsafeSlow(WRITE_BATCH_BYTES);
        this.slabUsed = this.batchStart = 0;
      }
      this.slabUsed = this.framing.encodeInto(payload, slab, this.slabUsed);
    } else {
      const [first, second] = this.framing.encodeFrame(payload);
      this.seal();
      this.parts.push(first, second);
      this.partsBytes += size;
    }
    this.messages++;
    if (this.blocked && this.queuedBytes > this.maxQueuedBytes) {
      this.events.overflow(new QueueOverflowError(this.queuedBytes, this.maxQueuedBytes));
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  /** Flushes everything queued, then ends the socket (half-close). */
  end(): void {
    this.ending = true;
    this.flush();
  }

  /** Stops writing for good (the socket is gone); queued bytes are dropped. */
  stop(): void {
    this.stopped = true;
    this.socket.removeListener('drain', this.onDrain);
    this.parts = [];
    this.partsBytes = 0;
    this.slab = null;
    this.slabUsed = this.batchStart = 0;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.stopped || this.blocked) return;
    this.seal();
    const parts = this.parts;
    if (parts.length > 0) {
      this.parts = [];
      this.partsBytes = 0;
      this.messages = 0;
      let ok: boolean;
      if (parts.length === 1) {
        ok = this.socket.write(parts[0]);
      } else {
        this.socket.cork();
        ok = true;
        for (const part of parts) ok = this.socket.write(part);
        this.socket.uncork();
      }
      if (!ok) {
        this.blocked = true;
        this.socket.once('drain', this.onDrain);
        this.events.writable(false);
        return;
      }
    }
    if (this.ending) {
      this.stopped = true;
      this.socket.end();
    }
  };

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.events.writable(true);
    this.flush();
  };

  /** Moves the batch written since the last seal into the parts to send. */
  private seal(): void {
    if (this.slab !== null && this.slabUsed > this.batchStart) {
      this.parts.push(this.slab.subarray(this.batchStart, this.slabUsed));
      this.partsBytes += this.slabUsed - this.batchStart;
      this.batchStart = this.slabUsed;
    }
  }
}
