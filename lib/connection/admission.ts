import type { Socket } from 'node:net';
import type { SchedulerLike, Subscription } from 'rxjs';

/** What a full server does with one more client. */
export type WhenFull = 'queue' | 'reject';

/** The limits of an {@link Admission}. */
export interface AdmissionLimits {
  /** Clients served at once (TLS clients count from accept, handshake included). */
  readonly maxConnections: number;
  /** Policy past `maxConnections`. */
  readonly whenFull: WhenFull;
  /** With `'queue'`: clients kept waiting before more are refused. */
  readonly maxWaiting: number;
  /** With `'queue'`: milliseconds a client may wait for its turn before it is dropped (Infinity: forever). */
  readonly waitTimeout: number;
  /** Runs the wait timers. */
  readonly scheduler: SchedulerLike;
}

/**
 * The server's door: at most `maxConnections` clients are served at once. When full, policy
 * `'queue'` keeps later clients waiting, unanswered and unread, and lets them in one by one, in
 * arrival order, as served clients leave (up to `maxWaiting`, past which they are refused, and
 * for at most `waitTimeout`, after which they are dropped); policy `'reject'` refuses them at
 * once. A refused or dropped client's socket is destroyed: the client sees its connection close.
 */
export class Admission {
  private active = 0;
  private readonly waiting: Socket[] = [];
  private readonly timers = new Map<Socket, Subscription>();

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly admit: (socket: Socket) => void,
  ) {}

  /** Number of clients waiting their turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** A client arrived. */
  offer(socket: Socket): void {
    const { maxConnections, whenFull, maxWaiting, waitTimeout, scheduler } = this.limits;
    if (this.active < maxConnections) {
      this.active++;
      this.admit(socket);
    } else if (whenFull === 'queue' && this.waiting.length < maxWaiting) {
      socket.on('error', this.onWaitingError);
      socket.once('close', () => this.forget(socket));
      this.waiting.push(socket);
      if (waitTimeout !== Infinity) this.timers.set(socket, scheduler.schedule(() => socket.destroy(), waitTimeout));
    } else {
      socket.on('error', this.onWaitingError);
      socket.destroy();
    }
  }

  /** A served client left: the next waiting one, if any, takes its place. */
  release(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next === undefined) return;
    this.stopTimer(next);
    next.removeListener('error', this.onWaitingError);
    this.active++;
    this.admit(next);
  }

  /** Refuses every waiting client (the server is stopping). */
  refuseWaiting(): void {
    for (const socket of this.waiting.splice(0)) {
      this.stopTimer(socket);
      socket.destroy();
    }
  }

  private forget(socket: Socket): void {
    this.stopTimer(socket);
    const at = this.waiting.indexOf(socket);
    if (at !== -1) this.waiting.splice(at, 1);
  }

  private stopTimer(socket: Socket): void {
    this.timers.get(socket)?.unsubscribe();
    this.timers.delete(socket);
  }

  /** A waiting client's socket failed: it will close, and leave the queue then. */
  private readonly onWaitingError = (): void => undefined;
}
