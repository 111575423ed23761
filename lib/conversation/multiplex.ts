import { Observable, type Observer } from 'rxjs';
import type { Connection } from '../connection/connection';

/** Options of {@link multiplex}: how one logical stream is opened, closed and told apart. */
export interface MultiplexOptions<In, Out> {
  /** The message that asks the peer for this stream, sent on subscribe. */
  readonly subscribe: () => Out;
  /** The message that ends it, sent on unsubscribe (not after the connection ended). */
  readonly unsubscribe: () => Out;
  /** Which incoming messages belong to this stream. */
  readonly filter: (message: In) => boolean;
}

/**
 * One logical stream (a topic, a room) over a shared connection, as RxJS `webSocket`'s
 * `multiplex`: subscribing sends `subscribe()`, emits the incoming messages that pass `filter`,
 * and unsubscribing sends `unsubscribe()`. The stream completes or errors with the connection.
 * Any number of streams share one connection; works with a {@link reconnecting} client too.
 * The server side is {@link rooms}.
 *
 * @example
 * ```ts
 * const prices$ = multiplex(connection, {
 *   subscribe: () => ({ op: 'sub', topic: 'prices' }),
 *   unsubscribe: () => ({ op: 'unsub', topic: 'prices' }),
 *   filter: (m) => m.topic === 'prices',
 * });
 * prices$.pipe(take(10)).subscribe(console.log); // then 'unsub' is sent
 * ```
 */
export function multiplex<In, Out>(
  connection: { readonly messages$: Observable<In>; readonly sink: Observer<Out> } | Connection<In, Out>,
  options: MultiplexOptions<In, Out>,
): Observable<In> {
  return new Observable<In>((subscriber) => {
    let ended = false;
    // Listen first, so a reply to the subscribe message cannot slip by.
    const reading = connection.messages$.subscribe({
      next: (message) => {
        let mine: boolean;
        try {
          mine = options.filter(message);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (mine) subscriber.next(message);
      },
      error: (error: unknown) => {
        ended = true;
        subscriber.error(error);
      },
      complete: () => {
        ended = true;
        subscriber.complete();
      },
    });
    if (!ended) connection.sink.next(options.subscribe());
    return () => {
      reading.unsubscribe();
      if (!ended) connection.sink.next(options.unsubscribe());
    };
  });
}
