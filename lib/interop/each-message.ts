import type { Subscription } from 'rxjs';
import type { Connection } from '../connection/connection';

/** Options of {@link eachMessage}. */
export interface EachMessageOptions {
  /** Messages held for a slow loop before the connection is paused (read on when it catches up). Default 64. */
  readonly highWaterMark?: number;
}

/**
 * A connection's messages for `for await`: iteration subscribes to `messages$`, yields each
 * message, ends when the peer ends, and throws the connection's error. Messages are held for a
 * slow loop up to `highWaterMark`; past it the connection is paused (TCP slows the peer) until the
 * loop catches up. Leaving the loop early (`break`, `return`, a throw) unsubscribes; the
 * connection stays open (close it yourself).
 *
 * @example
 * ```ts
 * for await (const line of eachMessage(connection)) {
 *   if (line === 'bye') break;
 *   connection.sink.next(line.toUpperCase());
 * }
 * ```
 */
export function eachMessage<In>(connection: Pick<Connection<In, unknown>, 'messages$' | 'pause' | 'resume'>, options: EachMessageOptions = {}): AsyncIterableIterator<In> {
  const highWaterMark = options.highWaterMark ?? 64;
  const held: In[] = [];
  let ending: { error: unknown } | 'complete' | null = null;
  let waiter: { resolve: (result: IteratorResult<In>) => void; reject: (error: unknown) => void } | null = null;
  let subscription: Subscription | null = null;
  let paused = false;
  let done = false;

  const finish = (): void => {
    done = true;
    subscription?.unsubscribe();
    if (paused) connection.resume();
  };
  const settle = (): void => {
    if (waiter === null) return;
    const { resolve, reject } = waiter;
    if (held.length > 0) {
      waiter = null;
      resolve({ value: held.shift() as In, done: false });
      if (paused && held.length <= highWaterMark / 2) {
        paused = false;
        connection.resume();
      }
    } else if (ending !== null) {
      waiter = null;
      finish();
      if (ending === 'complete') resolve({ value: undefined, done: true });
      else reject(ending.error);
    }
  };
  const start = (): void => {
    if (subscription !== null) return;
    subscription = connection.messages$.subscribe({
      next: (message) => {
        held.push(message);
        if (!paused && held.length >= highWaterMark) {
          paused = true;
          connection.pause();
        }
        settle();
      },
      error: (error: unknown) => {
        ending = { error };
        settle();
      },
      complete: () => {
        ending = 'complete';
        settle();
      },
    });
  };
  const iterator: AsyncIterableIterator<In> = {
    next: () => {
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise<IteratorResult<In>>((resolve, reject) => {
        waiter = { resolve, reject };
        start();
        settle();
      });
    },
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
