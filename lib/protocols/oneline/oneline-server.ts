import { defer, from, isObservable, Subject, takeUntil, type Observable, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { Connection, SocketAddress } from '../../connection/connection';
import type { ConnectionOptions } from '../../connection/connection-options';
import { listen } from '../../connection/listen';
import { serve, type ServedConnection } from '../../conversation/serve';
import { onelineFraming } from '../../framing/presets';
import { onelineCodec, type OnelineDecoding, type OnelineLine } from './oneline-codec';

/** Answers one line: nothing, one line, several lines, or an Observable/Promise of lines. */
export type OnelineHandler = (line: OnelineLine) => string | readonly string[] | ObservableInput<string> | undefined | null | void;

/** Options of {@link onelineServer}. */
export interface OnelineServerOptions extends Pick<ConnectionOptions, 'stallTimeout' | 'idleTimeout' | 'closeTimeout' | 'scheduler'> {
  /** Address to bind. Default `'127.0.0.1'`. */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Called with the bound address. */
  onListening?: (address: SocketAddress) => void;
  /** Byte decoding: `'compat'` (default, as the original) or `'strict'` UTF-8. */
  decoding?: OnelineDecoding;
  /** Answers every line that is not a built-in command. */
  handler: OnelineHandler;
  /**
   * One client at a time: milliseconds a later client may wait for its turn before it is dropped.
   * Default 60,000; `Infinity`: forever. (An idle served client is closed after `idleTimeout`, 30 s by default.)
   */
  waitTimeout?: number;
}

/**
 * The socket-oneline conversation as an operator over connections (from {@link onelineServer}'s
 * `listen`, or from `rxsocket/testing`'s `testServer` in marble tests). Built-in commands come
 * first: `ping` -> `pong`; `disconnect` closes the client with no reply; `shutdown` closes the
 * client and completes the stream (so the server stops listening). Every other line, the empty
 * one too, goes to `handler`.
 *
 * @example
 * ```ts
 * testServer(connections$).pipe(serveOneline(({ text }) => (text === 'cmd01' ? 'ack' : undefined)));
 * ```
 */
export function serveOneline(handler: OnelineHandler): OperatorFunction<Connection<OnelineLine, string>, ServedConnection<OnelineLine, string>> {
  const answer = (line: OnelineLine): Observable<string> | string | undefined => {
    const result = handler(line);
    if (result === undefined || result === null || typeof result === 'string') return result ?? undefined;
    return isObservable(result) ? result : from(result as ObservableInput<string>);
  };
  return (connections$) =>
    defer(() => {
      const shutdown = new Subject<void>();
      return connections$.pipe(
        serve<OnelineLine, string>((line, connection) => {
          switch (line.text) {
            case 'ping':
              return 'pong';
            case 'disconnect':
              connection.close();
              return undefined;
            case 'shutdown':
              connection.close();
              shutdown.next();
              return undefined;
            default:
              return answer(line);
          }
        }),
        takeUntil(shutdown),
      );
    });
}

/**
 * A socket-oneline server: LF lines, one client at a time (later clients wait, unanswered, and
 * are served in order), the built-in commands and `handler` of {@link serveOneline}. A bare end
 * of stream counts as a disconnect. `shutdown` completes the Observable.
 *
 * @example
 * ```ts
 * onelineServer({ port: 0, handler: ({ text }) => (text === 'cmd01' ? 'ack' : 'nak - unknown cmd') }).subscribe();
 * ```
 */
export function onelineServer(options: OnelineServerOptions): Observable<ServedConnection<OnelineLine, string>> {
  return listen({
    host: options.host,
    port: options.port,
    onListening: options.onListening,
    framing: onelineFraming(),
    codec: onelineCodec(options.decoding ?? 'compat'),
    singleClient: true,
    stallTimeout: options.stallTimeout,
    idleTimeout: options.idleTimeout,
    waitTimeout: options.waitTimeout,
    closeTimeout: options.closeTimeout,
    scheduler: options.scheduler,
  }).pipe(serveOneline(options.handler));
}
