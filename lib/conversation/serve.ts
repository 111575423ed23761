import { catchError, defer, EMPTY, finalize, mergeMap, Observable, tap, type OperatorFunction } from 'rxjs';
import type { Connection } from '../connection/connection';
import { HandlerError } from '../errors';
import { handlerResult } from '../internal/handler-result';

/**
 * Answers one incoming message: return nothing (`undefined` or `null`: nothing is sent), one
 * reply, or an Observable or Promise of any number of replies. Arrays are single replies (a JSON
 * array is one message); to send several, return `from([...])`.
 */
export type ReplyHandler<In, Out> = (
  message: In,
  connection: Connection<In, Out>,
) => Out | Observable<Out> | PromiseLike<Out | null | undefined> | null | undefined | void;

/** What {@link serve} does when a handler throws or errors. */
export type HandlerErrorPolicy = 'close' | 'ignore';

/** Options of {@link serve}. */
export interface ServeOptions {
  /**
   * Messages handled at once per connection. Default 1: replies are written in the order of the
   * requests. Above 1, handlers overlap and replies are written as they are produced.
   */
  concurrency?: number;
  /**
   * A handler that throws or errors: `'close'` (default) closes that connection only, with a
   * HandlerError carrying the cause; `'ignore'` drops that message's remaining replies and goes on.
   */
  handlerError?: HandlerErrorPolicy;
  /** @deprecated Since 0.2.0: named `handlerError` (policies are nouns; `on…` names are callbacks). Removed in 0.3.0. */
  onHandlerError?: HandlerErrorPolicy;
  /**
   * Messages received and not yet handled, per connection, before the connection is paused (the
   * peer is slowed down by TCP); reading resumes once half of them are handled. Default 1,024.
   */
  maxPending?: number;
}

/** How one served connection ended: `error` is undefined after a clean end. */
export interface ServedConnection<In, Out> {
  /** The connection that ended. */
  readonly connection: Connection<In, Out>;
  /** What ended it (a `HandlerError`, a typed rxsocket error, a Node system error), or undefined for a clean end. */
  readonly error: unknown;
}

/** A handler's result as replies: nothing for `undefined`/`null` (a Promise of them is filtered when written). */
function replies<Out>(result: ReturnType<ReplyHandler<unknown, Out>>): Observable<Out | null | undefined> {
  return result === undefined || result === null ? EMPTY : handlerResult<Out | null | undefined>(result);
}

/**
 * Serves each connection of a stream: every incoming message goes to `handler`, and what it
 * returns is written back through the connection's sink. One connection's failure (bad input,
 * a handler error) ends that connection only (replies already produced are still sent); the operator emits a {@link ServedConnection} as
 * each connection ends. When the peer ends cleanly, the sink completes after the last reply (with
 * `allowHalfOpen`, replies may still be produced after the peer's FIN).
 *
 * @example
 * ```ts
 * listen({ port: 0, framing: delimiter(), codec: utf8() })
 *   .pipe(serve((line) => (line === 'ping' ? 'pong' : undefined)))
 *   .subscribe(({ error }) => error && console.warn('client failed', error));
 * ```
 */
export function serve<In, Out>(handler: ReplyHandler<In, Out>, options: ServeOptions = {}): OperatorFunction<Connection<In, Out>, ServedConnection<In, Out>> {
  const concurrency = options.concurrency ?? 1;
  const policy = options.handlerError ?? options.onHandlerError ?? 'close';
  const maxPending = options.maxPending ?? 1024;
  return mergeMap(
    (connection: Connection<In, Out>) =>
      new Observable<ServedConnection<In, Out>>((subscriber) => {
        // Inbound backpressure: slow handlers pause the connection instead of queueing without bound.
        let pending = 0;
        let paused = false;
        const handled = connection.messages$.pipe(
          tap(() => {
            if (++pending >= maxPending && !paused) {
              paused = true;
              connection.pause();
            }
          }),
          mergeMap(
            (message) =>
              defer(() => replies(handler(message, connection))).pipe(
                catchError((cause: unknown) => {
                  if (policy === 'ignore') return EMPTY;
                  throw new HandlerError(cause);
                }),
                finalize(() => {
                  if (--pending <= maxPending / 2 && paused) {
                    paused = false;
                    connection.resume();
                  }
                }),
              ),
            concurrency,
          ),
        );
        const done = (error: unknown): void => {
          subscriber.next({ connection, error });
          subscriber.complete();
        };
        return handled.subscribe({
          next: (reply) => {
            if (reply !== null && reply !== undefined) connection.sink.next(reply);
          },
          error: (error: unknown) => {
            // Replies already produced are still delivered; then the connection closes.
            connection.close(error);
            done(error);
          },
          complete: () => {
            connection.sink.complete();
            done(undefined);
          },
        });
      }),
  );
}
