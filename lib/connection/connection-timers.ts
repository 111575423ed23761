import type { SchedulerLike, Subscription } from 'rxjs';
import { IdleTimeoutError, StallTimeoutError, type RxSocketError } from '../errors';

/** What the timers ask and tell their connection, as methods of the connection itself (no closures). */
export interface TimerOwner {
  /** Bytes of a partial frame held now (for the stall error). */
  heldBytes(): number;
  /** A timer ran out: the connection fails with this error. */
  timedOut(error: RxSocketError): void;
}

/**
 * The stall and idle timers of one connection, on an RxJS scheduler (virtual time in tests).
 * Each runs as at most one scheduled action that re-arms itself for the time still left, so
 * traffic costs a timestamp per chunk, not a timer. Time only counts while the connection reads:
 * between {@link pause} and {@link resume} (inbound backpressure) neither timer runs down, since a
 * peer that we stopped reading is not stalled or idle.
 */
export class ConnectionTimers {
  private lastActivity: number;
  /** When the partial frame now buffered began arriving; -1 when none is. */
  private partialSince = -1;
  private stallTimer: Subscription | null = null;
  private idleTimer: Subscription | null = null;
  private stopped = false;
  /** When reading was paused; -1 while reading. */
  private pausedAt = -1;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly stallTimeout: number,
    private readonly idleTimeout: number | undefined,
    private readonly owner: TimerOwner,
  ) {
    this.lastActivity = scheduler.now();
    if (idleTimeout !== undefined) this.armIdle(idleTimeout);
  }

  /** Something was received or sent (only the idle timer needs to know: no clock read without it). */
  activity(): void {
    if (this.idleTimeout !== undefined) this.lastActivity = this.scheduler.now();
  }

  /** A chunk was decoded: `completed` tells whether it finished any frame. */
  afterChunk(completed: boolean, buffered: number): void {
    if (buffered === 0) {
      this.partialSince = -1;
    } else if (completed || this.partialSince === -1) {
      this.partialSince = this.scheduler.now();
      if (this.stallTimer === null) this.armStall(this.stallTimeout);
    }
  }

  /** Reading stopped on purpose: the clocks stop with it. */
  pause(): void {
    if (this.pausedAt === -1) this.pausedAt = this.scheduler.now();
  }

  /** Reading again: the time spent paused is not counted. */
  resume(): void {
    if (this.pausedAt === -1) return;
    const paused = this.scheduler.now() - this.pausedAt;
    this.pausedAt = -1;
    if (this.partialSince !== -1) this.partialSince += paused;
    this.lastActivity += paused;
  }

  /** Cancels both timers for good. */
  stop(): void {
    this.stopped = true;
    this.stallTimer?.unsubscribe();
    this.idleTimer?.unsubscribe();
    this.stallTimer = this.idleTimer = null;
  }

  private armStall(delay: number): void {
    this.stallTimer = this.scheduler.schedule(() => {
      this.stallTimer = null;
      if (this.stopped || this.partialSince === -1) return;
      if (this.pausedAt !== -1) return this.armStall(this.stallTimeout);
      const left = this.partialSince + this.stallTimeout - this.scheduler.now();
      if (left > 0) this.armStall(left);
      else this.owner.timedOut(new StallTimeoutError(this.stallTimeout, this.owner.heldBytes()));
    }, delay);
  }

  private armIdle(delay: number): void {
    const timeout = this.idleTimeout as number;
    this.idleTimer = this.scheduler.schedule(() => {
      this.idleTimer = null;
      if (this.stopped) return;
      if (this.pausedAt !== -1) return this.armIdle(timeout);
      const left = this.lastActivity + timeout - this.scheduler.now();
      if (left > 0) this.armIdle(left);
      else this.owner.timedOut(new IdleTimeoutError(timeout));
    }, delay);
  }
}
