import type { SchedulerLike, Subscription } from 'rxjs';
import type { Connection } from '../../connection/connection';

/**
 * Writes packets to one connection with at least `gap` ms between them, so that a peer that
 * takes each read for one packet (the original packetsocket receiver) never gets two in one read.
 * With `gap` 0 packets are written at once (and may share a write, which rxsocket peers handle).
 */
export class PacedWriter {
  private readonly queue: Uint8Array[] = [];
  private timer: Subscription | null = null;

  constructor(
    private readonly connection: Connection<Uint8Array, Uint8Array>,
    private readonly gap: number,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** Queues one packet. */
  write(packet: Uint8Array): void {
    if (this.gap <= 0) return this.connection.sink.next(packet);
    this.queue.push(packet);
    if (this.timer === null) this.sendNext();
  }

  /** Drops what is still queued (the connection is going away). */
  stop(): void {
    this.timer?.unsubscribe();
    this.timer = null;
    this.queue.length = 0;
  }

  private sendNext(): void {
    const packet = this.queue.shift();
    if (packet === undefined) {
      this.timer = null;
      return;
    }
    this.connection.sink.next(packet);
    this.timer = this.scheduler.schedule(() => this.sendNext(), this.gap);
  }
}
