import { Subject } from 'rxjs';

/** What a {@link SinkSubject} does with what it is given. */
export interface SinkHandlers<Out> {
  /** Takes one message; true if it was accepted (queued or written), false if refused. */
  next(message: Out): boolean;
  /** Destroys the connection with `error`. */
  error(error: unknown): void;
  /** Ends the writing side once everything accepted is sent. */
  complete(): void;
}

/**
 * The sink of a connection, as an RxJS `Subject`: `next`, `error` and `complete` go to the
 * connection, and whoever subscribes to it (a logger, an inspector) sees each message the
 * connection accepted, then its end. Nobody subscribed costs one property read per message.
 * rxsocket's connections create their own; a hand-written `Connection` makes one from handlers.
 *
 * @example
 * ```ts
 * const sent: string[] = [];
 * const sink = new SinkSubject<string>({ next: (message) => (sent.push(message), true), error: () => {}, complete: () => {} });
 * sink.subscribe((message) => console.log('sent', message));
 * sink.next('hello'); // logs "sent hello"
 * ```
 */
export class SinkSubject<Out> extends Subject<Out> {
  constructor(private readonly handlers: SinkHandlers<Out>) {
    super();
  }

  override next(message: Out): void {
    if (this.handlers.next(message) && this.observed) super.next(message);
  }

  override error(error: unknown): void {
    this.handlers.error(error);
    super.error(error);
  }

  override complete(): void {
    this.handlers.complete();
    super.complete();
  }
}
