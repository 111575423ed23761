import type { Socket } from 'node:net';

/** What a full server does with one more client. */
export type WhenFull = 'queue' | 'reject';

/**
 * The server's door: at most `maxConnections` clients are served at once. When full, policy
 * `'queue'` keeps later clients waiting, unanswered and unread, and lets them in one by one, in
 * arrival order, as served clients leave (up to `maxWaiting`, past which they are refused);
 * policy `'reject'` refuses them at once. A refused client's socket is destroyed.
 */
export class Admission {
  private active = 0;
  private readonly waiting: Socket[] = [];

  constructor(
    private readonly maxConnections: number,
    private readonly whenFull: WhenFull,
    private readonly maxWaiting: number,
    private readonly admit: (socket: Socket) => void,
  ) {}

  /** Number of clients waiting their turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** A client arrived. */
  offer(socket: Socket): void {
    if (this.active < this.maxConnections) {
      this.active++;
      this.admit(socket);
    } else if (this.whenFull === 'queue' && this.waiting.length < this.maxWaiting) {
      socket.on('error', this.onWaitingError);
      socket.once('close', () => this.forget(socket));
      this.waiting.push(socket);
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
    next.removeListener('error', this.onWaitingError);
    this.active++;
    this.admit(next);
  }

  /** Refuses every waiting client (the server is stopping). */
  refuseWaiting(): void {
    for (const socket of this.waiting.splice(0)) socket.destroy();
  }

  private forget(socket: Socket): void {
    const at = this.waiting.indexOf(socket);
    if (at !== -1) this.waiting.splice(at, 1);
  }

  /** A waiting client's socket failed: it will close, and leave the queue then. */
  private readonly onWaitingError = (): void => undefined;
}
