import type { ClientRequest, IncomingMessage } from 'node:http';
import { Observable, type Subscription } from 'rxjs';
import { WebSocket } from 'ws';
import type { Connection } from '../connection/connection';
import { addressesOf } from '../connection/socket-address';
import { ConnectTimeoutError, InvalidOptionError, WebSocketRefusedError } from '../errors';
import { WebSocketConnection } from './websocket-connection';
import { resolveWebSocketOptions, type WebSocketConnectionOptions } from './websocket-options';

/** Options of {@link connectWebSocket} (Node). */
export interface ConnectWebSocketOptions<In = Uint8Array, Out = In> extends WebSocketConnectionOptions<In, Out> {
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  protocols?: string | readonly string[];
  /** Extra headers of the upgrade request (cookies, `Authorization`). */
  headers?: Readonly<Record<string, string>>;
  /** The `Origin` header to send, as a browser page would. Default: none. */
  origin?: string;
  /** Offer per-message deflate to the server. Default false (see `listenWebSocket`'s option). */
  perMessageDeflate?: boolean;
  /** Milliseconds to complete the upgrade before ConnectTimeoutError. Default: none. */
  connectTimeout?: number;
}

/**
 * A cold Observable of one WebSocket client connection (Node), the same {@link Connection} as a
 * TCP one. Subscribing opens the WebSocket; the connection is emitted once open, and the
 * Observable completes when it closes. Unsubscribing closes it (close code 1000, destroyed after
 * `closeTimeout`). A refused upgrade errors with WebSocketRefusedError (its HTTP `status`);
 * network failures arrive as Node's own errors (`ECONNREFUSED`, ...).
 *
 * @example
 * ```ts
 * connectWebSocket('ws://127.0.0.1:8080/live', { codec: json() })
 *   .pipe(switchMap((connection) => { connection.sink.next({ subscribe: 'temperature' }); return connection.messages$; }))
 *   .subscribe((reading) => console.log(reading));
 * ```
 */
export function connectWebSocket<In = Uint8Array, Out = In>(
  url: string | URL,
  options: ConnectWebSocketOptions<In, Out> = {},
): Observable<Connection<In, Out>> {
  const settings = resolveWebSocketOptions(options);
  const { connectTimeout } = options;
  if (connectTimeout !== undefined && !(connectTimeout > 0)) {
    throw new InvalidOptionError('connectTimeout', connectTimeout, 'a positive number of milliseconds');
  }
  return new Observable<Connection<In, Out>>((subscriber) => {
    const protocols = options.protocols === undefined ? [] : typeof options.protocols === 'string' ? [options.protocols] : [...options.protocols];
    const ws = new WebSocket(url, protocols, {
      maxPayload: settings.maxFrameBytes,
      perMessageDeflate: options.perMessageDeflate ?? false,
      headers: options.headers,
      origin: options.origin,
    });
    let connection: WebSocketConnection<In, Out> | null = null;
    let closedSubscription: Subscription | null = null;
    let timer: Subscription | null = null;
    let response: IncomingMessage | null = null;

    const onFailure = (error: Error): void => subscriber.error(error);
    const onUpgrade = (upgrade: IncomingMessage): void => {
      response = upgrade;
    };
    const onRefused = (_request: ClientRequest, answer: IncomingMessage): void => {
      answer.resume();
      // The teardown this runs terminates the socket.
      subscriber.error(new WebSocketRefusedError(answer.statusCode ?? 0));
    };
    const onOpen = (): void => {
      timer?.unsubscribe();
      ws.removeListener('error', onFailure);
      connection = new WebSocketConnection(ws, settings, addressesOf(response?.socket));
      closedSubscription = connection.closed$.subscribe(() => subscriber.complete());
      subscriber.next(connection);
    };
    ws.on('error', onFailure);
    ws.once('upgrade', onUpgrade);
    ws.once('unexpected-response', onRefused);
    ws.once('open', onOpen);
    if (connectTimeout !== undefined) {
      timer = settings.connection.scheduler.schedule(() => {
        subscriber.error(new ConnectTimeoutError(connectTimeout));
      }, connectTimeout);
    }
    return () => {
      timer?.unsubscribe();
      closedSubscription?.unsubscribe();
      ws.removeListener('open', onOpen);
      ws.removeListener('upgrade', onUpgrade);
      ws.removeListener('unexpected-response', onRefused);
      if (connection !== null) {
        connection.close();
      } else {
        ws.removeListener('error', onFailure);
        ws.on('error', ignoreAfterTeardown);
        ws.terminate();
      }
    };
  });
}

/** Errors of a WebSocket abandoned before it opened: nobody is listening any more. */
function ignoreAfterTeardown(): void {
  // Deliberately empty: the subscriber is gone, and an unhandled 'error' would crash the process.
}
