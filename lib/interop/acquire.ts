import type { Observable, Subscription } from 'rxjs';
import { whenAborted } from '../internal/abort';

/** What {@link acquire} resolves with: the first value, held open until released. */
export interface Acquired<T> {
  /** The source's first value (a connection, a pool, a server, ...). */
  readonly value: T;
  /** Unsubscribes from the source: closes what it opened. Idempotent; safe to pass around unbound. */
  readonly release: () => void;
  /** Resolves once the source ends by itself or is released (it never rejects: a later error is `error`). */
  readonly ended: Promise<void>;
  /** The error the source ended with after its first value, if it did. */
  readonly error: unknown;
}

/** Options of {@link acquire}. */
export interface AcquireOptions {
  /** Aborting before the first value rejects with the signal's reason; after it, releases. */
  readonly signal?: AbortSignal;
}

/**
 * The async-code form of a resource Observable: subscribes to `source$`, resolves with its first
 * value and keeps the subscription, so what it opened stays open until `release()`. Use it where
 * `firstValueFrom(connect(...))` would close the connection at once (it unsubscribes). Rejects if
 * the source errors or completes before its first value.
 *
 * @example
 * ```ts
 * const { value: client, release } = await acquire(connect({ port, codec: utf8(), framing: delimiter() }));
 * client.sink.next('hello');
 * release(); // closes the connection
 * ```
 */
export function acquire<T>(source$: Observable<T>, options: AcquireOptions = {}): Promise<Acquired<T>> {
  return new Promise<Acquired<T>>((resolve, reject) => {
    let subscription: Subscription | null = null;
    let acquired: { value: T } | null = null;
    let error: unknown = undefined;
    let released = false;
    let markEnded: () => void = () => undefined;
    const ended = new Promise<void>((done) => (markEnded = done));
    const release = (): void => {
      if (released) return;
      released = true;
      stopAbort();
      subscription?.unsubscribe();
      markEnded();
    };
    const stopAbort = whenAborted(options.signal, (reason) => {
      // The signal's reason as it is (an AbortError DOMException by default), as fetch does.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (acquired === null) reject(reason);
      release();
    });
    if (released) return;
    subscription = source$.subscribe({
      next: (value) => {
        if (acquired !== null) return;
        acquired = { value };
        resolve({
          value,
          release,
          ended,
          get error() {
            return error;
          },
        });
      },
      error: (failure: unknown) => {
        error = failure;
        // The source's own error, whatever it is (Node's system errors included).
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        if (acquired === null) reject(failure);
        release();
      },
      complete: () => {
        if (acquired === null) reject(new Error('the source completed without a value'));
        release();
      },
    });
    if (released) subscription.unsubscribe();
  });
}
