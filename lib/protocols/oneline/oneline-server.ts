import { from, isObservable, Observable, Subject, takeUntil, type ObservableInput } from 'rxjs';
import type { SocketAddress } from '../../connection/connection';
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
}

/**
 * A socket-oneline server: LF lines, one client at a time (later clients wait, unanswered, and
 * are served in order). Built-in commands come first: `ping` -> `pong`; `disconnect` closes the
 * client with no reply; `shutdown` closes the client and stops listening (the Observable
 * completes). A bare end of stream counts as a disconnect. Every other line, the empty one too,
 * goes to `handler`.
 *
 * @example
 * ```ts
 * onelineServer({ port: 0, handler: ({ text }) => (text === 'cmd01' ? 'ack' : 'nak - unknown cmd') }).subscribe();
 * ```
 */
export function onelineServer(options: OnelineServerOptions): Observable<ServedConnection<OnelineLine, string>> {
  return new Observable<ServedConnection<OnelineLine, string>>((subscriber) => {
    const shutdown = new Subject<void>();
    const answer = (line: OnelineLine): Observable<string> | string | undefined => {
      const result = options.handler(line);
      if (result === undefined || result === null || typeof result === 'string') return result ?? undefined;
      return isObservable(result) ? result : from(result as ObservableInput<string>);
    };
    const served = listen({
      host: options.host,
      port: options.port,
      onListening: options.onListening,
      framing: onelineFraming(),
      codec: onelineCodec(options.decoding ?? 'compat'),
      singleClient: true,
      stallTimeout: options.stallTimeout,
      idleTimeout: options.idleTimeout,
      closeTimeout: options.closeTimeout,
      scheduler: options.scheduler,
    }).pipe(
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
    return served.subscribe(subscriber);
  });
}
