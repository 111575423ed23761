import { QueueOverflowError } from '../errors';
import { NumberQueue } from '../internal/number-queue';

/** What a {@link SendLedger} tells its connection. */
export interface SendLedgerEvents {
  /** `writable` changed. */
  writable(ready: boolean): void;
  /** Every message accepted so far has left. */
  flushed(): void;
}

/**
 * The outgoing accounting of a message transport (WebSocket, Node or browser), with the same
 * rules as the TCP write path: a message counts as queued from `accept` until the transport says
 * it left, the bound `maxQueuedBytes` is checked at every message (a message that would take a
 * non-empty queue past it is refused), and `writable` is false while more than half of the bound
 * waits (here or in the transport's own buffer, `buffered()`). The end offset of every message
 * not yet sent is kept, so the unsent messages are known exactly. Internal; free of Node imports.
 */
export class SendLedger {
  /** End offset (in bytes accepted so far) of each message not yet sent. */
  private readonly ends = new NumberQueue();
  private accepted = 0;
  private sent = 0;
  private ready = true;
  private readonly highWater: number;

  constructor(
    private readonly maxQueuedBytes: number,
    /** Bytes the transport itself still buffers (`bufferedAmount`). */
    private readonly buffered: () => number,
    private readonly events: SendLedgerEvents,
  ) {
    this.highWater = maxQueuedBytes / 2;
  }

  get queuedBytes(): number {
    return this.accepted - this.sent;
  }

  get queuedMessages(): number {
    return this.ends.length;
  }

  get writable(): boolean {
    return this.ready;
  }

  /** Counts a message of `size` bytes as queued, or returns the overflow that refuses it. */
  accept(size: number): QueueOverflowError | null {
    const queued = this.accepted - this.sent;
    if (queued > 0 && queued + size > this.maxQueuedBytes) return new QueueOverflowError(queued + size, this.maxQueuedBytes);
    this.accepted += size;
    this.ends.push(this.accepted);
    this.update();
    return null;
  }

  /** The oldest queued message left (a send callback). */
  sentOne(): void {
    const end = this.ends.shift();
    if (end !== undefined) this.sentThrough(end);
  }

  /** Every byte up to `total` (counted from the first accepted) left; the messages they end leave. */
  sentThrough(total: number): void {
    if (total > this.sent) this.sent = Math.min(total, this.accepted);
    while (this.ends.length > 0 && (this.ends.peek() as number) <= this.sent) this.ends.shift();
    if (this.sent === this.accepted) this.events.flushed();
    this.update();
  }

  /** Bytes accepted so far (for a transport that learns what left from what it still buffers). */
  get acceptedBytes(): number {
    return this.accepted;
  }

  /** Re-evaluates `writable` (after the transport's buffer changed). */
  update(): void {
    const ready = this.accepted - this.sent <= this.highWater && this.buffered() <= this.highWater;
    if (ready !== this.ready) {
      this.ready = ready;
      this.events.writable(ready);
    }
  }

  /** What never left; the ledger is not used again. */
  stop(): { bytes: number; messages: number } {
    const unsent = { bytes: this.accepted - this.sent, messages: this.ends.length };
    this.ends.clear(true);
    return unsent;
  }
}
