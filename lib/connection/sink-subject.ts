import { Subject } from 'rxjs';
import type { ConnectionSink } from './connection';

/** What the sink made by {@link sinkSubject} does with what it is given. */
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
 * handlers, and whoever subscribes to it (a logger, an inspector) sees each message the handlers
 * accepted, then the end. Nobody subscribed costs one property read per message. rxsocket's
 * connections make their own; a hand-written `Connection` makes one from its handlers.
 *
 * @example
 * ```ts
 * const sent: string[] = [];
 * const sink = sinkSubject<string>({ next: (message) => (sent.push(message), true), error: () => {}, complete: () => {} });
 * sink.subscribe((message) => console.log('sent', message));
 * sink.next('hello'); // logs "sent hello"
 * ```
 */
export function sinkSubject<Out>(handlers: SinkHandlers<Out>): ConnectionSink<Out> {
  return new SinkSubject({
    sinkNext: (message) => handlers.next(message),
    sinkError: (error) => handlers.error(error),
    sinkComplete: () => handlers.complete(),
  });
}

/**
 * What a {@link SinkSubject} hands its calls to: {@link SinkHandlers} under names that a connection
 * can carry as methods of its own, so that its sink makes no closures.
 */
export interface SinkOwner<Out> {
  sinkNext(message: Out): boolean;
  sinkError(error: unknown): void;
  sinkComplete(): void;
}

/** The Subject behind {@link sinkSubject} (internal: the public type is `ConnectionSink`). */
export class SinkSubject<Out> extends Subject<Out> {
  constructor(private readonly owner: SinkOwner<Out>) {
    super();
  }

  /** Gives the message to the owner, and to the watchers if it was accepted. */
  override next(message: Out): void {
    if (this.owner.sinkNext(message) && this.observed) super.next(message);
  }

  /** Shows the watchers a message the connection accepted without `next` (a `broadcast`). */
  accepted(message: Out): void {
    if (this.observed) super.next(message);
  }

  /**
   * Tells the watchers the connection closed, without the owner: always as `complete`, even
   * when it failed (the error is on `messages$` and `closed$`), so that a watcher with only a
   * `next` callback never meets an unhandled error.
   */
  ended(): void {
    super.complete();
  }

  /** Gives the error to the owner, then to the watchers. */
  override error(error: unknown): void {
    this.owner.sinkError(error);
    super.error(error);
  }

  /** Tells the owner, then the watchers, that the output ends. */
  override complete(): void {
    this.owner.sinkComplete();
    super.complete();
  }
}
