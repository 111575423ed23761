import { Subscription, switchMap, timer, type SchedulerLike } from 'rxjs';
import type { Connection } from '../../connection/connection';
import { QueueOverflowError } from '../../errors';
import { pacingGap, type PacketPacing } from './packet-pacing';
import { whenFlushed } from './when-flushed';

/** Bytes of the packetsocket prefix (`#!?&` and the u32 LE length). */
const PREFIX_BYTES = 8;

/**
 * Hands packets to one connection one at a time: the next only after the previous one has left
 * the process and its pacing gap has passed (see {@link PacketPacing}), so that the original
 * receiver, which takes each read for one packet, never gets two in one read. Packets waiting
 * their turn are bounded by `maxQueuedBytes`: a packet that would take a non-empty queue past it
 * is refused and `overflow` is called (the owner fails the connection: nothing is dropped
 * silently). `changed` is called whenever the queue grows or shrinks.
 */
export class PacedWriter {
  private readonly queue: Uint8Array[] = [];
  private bytes = 0;
  private pacing: Subscription | null = null;
  private stopped = false;
  private drained: Array<() => void> = [];

  constructor(
    private readonly connection: Connection<Uint8Array, Uint8Array>,
    private readonly options: {
      readonly pacing: PacketPacing;
      readonly scheduler: SchedulerLike;
      readonly maxQueuedBytes: number;
      readonly overflow: (error: QueueOverflowError) => void;
      readonly changed: () => void;
    },
  ) {}

  /** Packets waiting their turn (not yet given to the connection). */
  get queuedMessages(): number {
    return this.queue.length;
  }

  /** Bytes of the packets waiting their turn (prefixes included). */
  get queuedBytes(): number {
    return this.bytes;
  }

  /** Sends `packet` now if nothing is being paced, else queues it. False if it is refused (stopped, or the queue is full). */
  write(packet: Uint8Array): boolean {
    if (this.stopped) return false;
    if (this.pacing === null) {
      this.send(packet);
      return true;
    }
    const size = PREFIX_BYTES + packet.byteLength;
    if (this.bytes > 0 && this.bytes + size > this.options.maxQueuedBytes) {
      this.options.overflow(new QueueOverflowError(this.bytes + size, this.options.maxQueuedBytes));
      return false;
    }
    this.queue.push(packet);
    this.bytes += size;
    this.options.changed();
    return true;
  }

  /** Calls `then` once every queued packet has been given to the connection (at once if none waits). */
  whenDrained(then: () => void): void {
    if (this.queue.length === 0 || this.stopped) then();
    else this.drained.push(then);
  }

  /** Stops for good: what is still queued is dropped (the connection is going away). */
  stop(): void {
    this.stopped = true;
    this.pacing?.unsubscribe();
    this.pacing = null;
    this.queue.length = 0;
    this.bytes = 0;
    this.drained = [];
  }

  private send(packet: Uint8Array): void {
    this.connection.sink.next(packet);
    const gap = pacingGap(this.options.pacing, PREFIX_BYTES + packet.byteLength);
    const { scheduler } = this.options;
    // Set before subscribing: a scheduler that runs the wait at once must find it current.
    const pacing = new Subscription();
    this.pacing = pacing;
    pacing.add(
      whenFlushed(this.connection)
        .pipe(switchMap(() => timer(gap, scheduler)))
        .subscribe(() => {
          if (this.pacing === pacing) this.sendNext();
        }),
    );
  }

  private sendNext(): void {
    this.pacing?.unsubscribe();
    this.pacing = null;
    const packet = this.queue.shift();
    if (packet === undefined) return;
    this.bytes -= PREFIX_BYTES + packet.byteLength;
    this.send(packet);
    this.options.changed();
    if (this.queue.length === 0) for (const then of this.drained.splice(0)) then();
  }
}
