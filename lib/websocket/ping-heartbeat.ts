import type { SchedulerLike, Subscription } from 'rxjs';
import { HeartbeatTimeoutError } from '../errors';

/**
 * A WebSocket's ping/pong heartbeat on an RxJS scheduler (virtual time in tests): a ping
 * `interval` ms after the last pong, and a deadline of `timeout` ms for its pong. It only runs
 * while the connection reads: a paused socket does not read pongs either, and a peer we stopped
 * reading is not dead. Internal; free of Node imports.
 */
export class PingHeartbeat {
  private timer: Subscription | null = null;
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly interval: number,
    private readonly timeout: number,
    private readonly ping: () => void,
    private readonly dead: (error: HeartbeatTimeoutError) => void,
  ) {}

  /** Starts (again) counting: the next ping goes `interval` ms from now. */
  resume(): void {
    if (this.stopped) return;
    this.timer?.unsubscribe();
    this.timer = this.scheduler.schedule(() => this.sendPing(), this.interval);
  }

  /** Stops counting while reading is paused. */
  suspend(): void {
    this.timer?.unsubscribe();
    this.timer = null;
  }

  /** A pong came: the peer is alive; the next ping goes `interval` ms from now. */
  pong(): void {
    if (this.timer !== null) this.resume();
  }

  /** Stops for good. */
  stop(): void {
    this.stopped = true;
    this.suspend();
  }

  private sendPing(): void {
    this.timer = this.scheduler.schedule(() => {
      this.stop();
      this.dead(new HeartbeatTimeoutError(this.timeout));
    }, this.timeout);
    this.ping();
  }
}
