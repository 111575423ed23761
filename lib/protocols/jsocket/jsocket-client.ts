import { asyncScheduler, Observable, retry, timer, type SchedulerLike, type Subscription } from 'rxjs';
import { json } from '../../codec/json';
import { connect } from '../../connection/connect';
import type { Connection } from '../../connection/connection';
import { ConnectionLostError, RequestTimeoutError } from '../../errors';
import { jsocketFraming, type JsocketGeneration } from '../../framing/presets';

/** Options of {@link jsocketClient}. */
export interface JsocketClientOptions {
  /** Wire generation. Default `'v2'`. */
  generation?: JsocketGeneration;
  /** Server host. Default `'127.0.0.1'`. */
  host?: string;
  /** Server port. Default 5489. */
  port?: number;
  /** Connection attempts before giving up. Default 10, as jsocket. */
  connectTries?: number;
  /** Milliseconds between attempts. Default 3,000, as jsocket. */
  retryDelay?: number;
  /** Scheduler of retry delays and read timeouts. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A connected jsocket client, with jsocket's read semantics. */
export interface JsocketClient {
  /** Sends one JSON value. */
  send(message: unknown): void;
  /**
   * The next message, in order. With `timeout` (ms), rejects with RequestTimeoutError when none
   * comes in time, **without closing** the connection: a late message is returned by the next
   * read. Rejects with ConnectionLostError ("socket connection broken") once the peer is gone.
   */
  read(timeout?: number): Promise<unknown>;
  /** Sends `message` and reads the next message. */
  request(message: unknown, timeout?: number): Promise<unknown>;
  /** The underlying connection. */
  readonly connection: Connection<unknown, unknown>;
}

/**
 * A jsocket client: connects with retries (10 tries, 3 s apart, by default), then reads in order
 * with an optional timeout that does not close the connection. Unsubscribing closes it.
 *
 * @example
 * ```ts
 * jsocketClient({ port: 5489, generation: 'v1' }).subscribe(async (client) => {
 *   console.log(await client.request({ cmd: 'status' }, 1_000));
 * });
 * ```
 */
export function jsocketClient(options: JsocketClientOptions = {}): Observable<JsocketClient> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const framing = jsocketFraming(options.generation ?? 'v2');
  const tries = options.connectTries ?? 10;
  const delay = options.retryDelay ?? 3_000;
  const connection$ = connect<unknown>({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 5489,
    framing,
    // The protocol's own limit (10 MiB for v2), for compatibility: see README, Running on the internet.
    codec: json({ maxFrameBytes: framing.maxFrameBytes }),
    scheduler,
  }).pipe(retry({ count: tries - 1, delay: () => timer(delay, scheduler) }));

  return new Observable<JsocketClient>((subscriber) => {
    const inbox: unknown[] = [];
    const readers: Array<{ resolve: (m: unknown) => void; reject: (e: Error) => void; timer: Subscription | null }> = [];
    let ended: ConnectionLostError | null = null;
    let messages: Subscription | null = null;
    const broken = (cause: unknown): void => {
      const error = new ConnectionLostError(cause);
      ended = error;
      for (const reader of readers.splice(0)) {
        reader.timer?.unsubscribe();
        reader.reject(error);
      }
    };
    const connecting = connection$.subscribe({
      next: (connection) => {
        messages = connection.messages$.subscribe({
          next: (message) => {
            const reader = readers.shift();
            if (reader === undefined) return void inbox.push(message);
            reader.timer?.unsubscribe();
            reader.resolve(message);
          },
          error: broken,
          complete: () => broken(undefined),
        });
        const read = (timeout?: number): Promise<unknown> =>
          new Promise((resolve, reject) => {
            if (inbox.length > 0) return resolve(inbox.shift());
            if (ended !== null) return reject(ended);
            const reader = { resolve, reject, timer: null as Subscription | null };
            if (timeout !== undefined) {
              reader.timer = scheduler.schedule(() => {
                readers.splice(readers.indexOf(reader), 1);
                reject(new RequestTimeoutError(timeout));
              }, timeout);
            }
            readers.push(reader);
          });
        subscriber.next({
          connection,
          send: (message) => connection.sink.next(message),
          read,
          request: (message, timeout) => {
            connection.sink.next(message);
            return read(timeout);
          },
        });
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      messages?.unsubscribe();
      for (const reader of readers.splice(0)) reader.timer?.unsubscribe();
      connecting.unsubscribe();
    };
  });
}
