import { asyncScheduler, filter, firstValueFrom, Observable, Subject, timeout, type SchedulerLike } from 'rxjs';
import { connect } from '../../connection/connect';
import type { Connection } from '../../connection/connection';
import { onelineFraming } from '../../framing/presets';
import { onelineCodec, type OnelineLine } from './oneline-codec';

/** Options of {@link onelineClient}. */
export interface OnelineClientOptions {
  /** Server host. Default `'127.0.0.1'`. */
  host?: string;
  /** Server port. */
  port: number;
  /** Milliseconds to wait for `pong` after the opening `ping`. Default 3,000, as the original. */
  pongTimeout?: number;
  /** Milliseconds a close (after `disconnect`) waits for the server to end before the socket is destroyed. Default 5,000. */
  closeTimeout?: number;
  /** Scheduler of the pong timeout. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A connected socket-oneline client. */
export interface OnelineClient {
  /** Every line the server sends (after the opening `pong`). */
  readonly lines$: Observable<string>;
  /** Sends one command line. */
  send(line: string): void;
  /** Sends `disconnect` (so that the original server does not spin) and closes. */
  close(): void;
  /** The underlying connection. */
  readonly connection: Connection<OnelineLine, string>;
}

/**
 * A socket-oneline client: connects, sends `ping` and requires `pong` within `pongTimeout`
 * (while the server serves someone else, it waits). Closing, or unsubscribing, sends
 * `disconnect` before it closes, as a compatible client must.
 *
 * @example
 * ```ts
 * onelineClient({ port }).subscribe((client) => {
 *   client.lines$.subscribe(console.log);
 *   client.send('cmd01');
 * });
 * ```
 */
export function onelineClient(options: OnelineClientOptions): Observable<OnelineClient> {
  return new Observable<OnelineClient>((subscriber) => {
    let close = (): void => undefined;
    let lines: Subject<string> | null = null;
    const connecting = connect({
      host: options.host ?? '127.0.0.1',
      port: options.port,
      framing: onelineFraming(),
      codec: onelineCodec('strict'),
      closeTimeout: options.closeTimeout,
    }).subscribe({
      next: (connection) => {
        const received = (lines = new Subject<string>());
        const pongTimeout = { first: options.pongTimeout ?? 3_000, scheduler: options.scheduler ?? asyncScheduler };
        const pong = firstValueFrom(received.pipe(filter((l) => l === 'pong'), timeout(pongTimeout)));
        let greeted = false;
        const all = connection.messages$.subscribe({
          next: (line) => {
            // Lines before the opening `pong` (none, from a compatible server) are not the user's.
            if (!greeted && line.text !== 'pong') return;
            greeted = true;
            received.next(line.text);
          },
          error: (error: unknown) => received.error(error),
          complete: () => received.complete(),
        });
        close = () => {
          connection.sink.next('disconnect');
          connection.close();
        };
        connection.closed$.subscribe(() => all.unsubscribe());
        connection.sink.next('ping');
        pong.then(
          () =>
            subscriber.next({
              lines$: received.asObservable(),
              send: (line) => connection.sink.next(line),
              close: () => close(),
              connection,
            }),
          (error: unknown) => subscriber.error(error),
        );
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      close();
      // Ends a wait for `pong` (and its timer) at once.
      lines?.complete();
      connecting.unsubscribe();
    };
  });
}
