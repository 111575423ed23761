import { Deque } from '../internal/deque';
import { NumberQueue } from '../internal/number-queue';

/** Limits of a {@link PublishLedger}. */
export interface LedgerLimits {
  /** Messages held (waiting for a connection, or published and not yet confirmed), at most. */
  readonly maxMessages: number;
  /** Encoded bytes held, at most. */
  readonly maxBytes: number;
  /** With a full ledger: refuse the new message, or evict the oldest waiting one. */
  readonly whenFull: 'drop-newest' | 'drop-oldest';
}

/**
 * The bookkeeping of a publisher over NATS core, free of NATS and RxJS: messages wait while the
 * connection is down; published ones stay "in doubt" until a flush (a PING the server answered)
 * confirms the server received them; a lost connection makes every message in doubt unsent.
 * Both queues together are bounded. Internal.
 */
export class PublishLedger<T> {
  private readonly waiting = new Deque<T>();
  private readonly waitingPayloads = new Deque<Uint8Array>();
  private readonly inDoubt = new Deque<T>();
  private readonly inDoubtBytes = new NumberQueue();
  private waitingSum = 0;
  private inDoubtSum = 0;
  /** Messages in doubt that the outstanding flush covers, or -1 when no flush is outstanding. */
  private covered = -1;
  /** Changes each time the messages in doubt are given up, so a late flush confirms nothing. */
  private generation = 0;

  constructor(private readonly limits: LedgerLimits) {}

  /** Messages held, waiting or in doubt. */
  get messages(): number {
    return this.waiting.length + this.inDoubt.length;
  }

  /** Encoded bytes held. */
  get bytes(): number {
    return this.waitingSum + this.inDoubtSum;
  }

  /** Messages waiting for a connection. */
  get waitingMessages(): number {
    return this.waiting.length;
  }

  /**
   * Makes room for a message of `bytes`: returns false when it is refused (`'drop-newest'`, or
   * nothing left to evict); each waiting message evicted for it (`'drop-oldest'`) goes to `evicted`.
   * Allocates nothing when the message fits.
   */
  admit(bytes: number, evicted: (message: T) => void): boolean {
    while (this.messages + 1 > this.limits.maxMessages || this.bytes + bytes > this.limits.maxBytes) {
      if (this.limits.whenFull !== 'drop-oldest' || this.waiting.length === 0) return false;
      const oldest = this.waiting.shift() as T;
      this.waitingSum -= (this.waitingPayloads.shift() as Uint8Array).byteLength;
      evicted(oldest);
    }
    return true;
  }

  /** Keeps an admitted message and its encoded payload until the connection is back. */
  wait(message: T, payload: Uint8Array): void {
    this.waiting.push(message);
    this.waitingPayloads.push(payload);
    this.waitingSum += payload.byteLength;
  }

  /** Takes every waiting message with its payload, oldest first, to publish it (each is then {@link published}). */
  takeWaiting(): { messages: T[]; payloads: Uint8Array[] } {
    const messages = this.waiting.drain();
    const payloads = this.waitingPayloads.drain();
    this.waitingSum = 0;
    return { messages, payloads };
  }

  /** Records an admitted message handed to the client, in doubt until a flush confirms it. */
  published(message: T, bytes: number): void {
    this.inDoubt.push(message);
    this.inDoubtBytes.push(bytes);
    this.inDoubtSum += bytes;
  }

  /** Starts a flush if none is outstanding and messages are in doubt: returns its generation, or -1. */
  startFlush(): number {
    if (this.covered !== -1 || this.inDoubt.length === 0) return -1;
    this.covered = this.inDoubt.length;
    return this.generation;
  }

  /** The flush of `generation` was answered: the messages it covered are confirmed. */
  flushed(generation: number): void {
    if (generation !== this.generation) return;
    for (let k = 0; k < this.covered; k++) {
      this.inDoubt.shift();
      this.inDoubtSum -= this.inDoubtBytes.shift() as number;
    }
    this.covered = -1;
  }

  /** The connection was lost: every message in doubt is given up (returned oldest first). */
  lost(): T[] {
    this.generation++;
    this.covered = -1;
    const messages = this.inDoubt.drain();
    this.inDoubtSum = 0;
    this.inDoubtBytes.clear(true);
    return messages;
  }

  /** The connection closed for good: everything held is given up (in doubt first, then waiting). */
  close(): T[] {
    return [...this.lost(), ...this.takeWaiting().messages];
  }
}
