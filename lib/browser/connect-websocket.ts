import { Observable, type Subscription } from 'rxjs';
import type { Connection } from '../connection/connection';
import { ConnectTimeoutError, InvalidOptionError, WebSocketClosedError } from '../errors';
import { resolveWebSocketOptions, type WebSocketConnectionOptions } from '../websocket/websocket-options';
import { BrowserWebSocketConnection } from './browser-websocket-connection';
import { globalWebSocket, type WebSocketConstructor } from './web-socket-api';

/** Options of the browser's {@link connectWebSocket}. */
export interface BrowserWebSocketOptions<In = Uint8Array, Out = In> extends Omit<WebSocketConnectionOptions<In, Out>, 'heartbeat'> {
  /** Subprotocols to offer. */
  protocols?: string | string[];
  /** Milliseconds to open before ConnectTimeoutError. Default: none. */
  connectTimeout?: number;
  /** The `WebSocket` class to use. Default the global one (the browser's). */
  WebSocket?: WebSocketConstructor;
}

/**
 * A cold Observable of one WebSocket connection from a page: the same {@link Connection} as on
 * the server. Subscribing opens the socket; the connection is emitted once open, and the
 * Observable completes when it closes; unsubscribing closes it (code 1000). A socket that closes
 * before it opened (refused, unreachable: browsers do not tell which) errors with
 * WebSocketClosedError, code 1006.
 *
 * @example
 * ```ts
 * connectWebSocket(`wss://${location.host}/live`, { codec: json() })
 *   .pipe(switchMap((connection) => connection.messages$))
 *   .subscribe((reading) => render(reading));
 * ```
 */
export function connectWebSocket<In = Uint8Array, Out = In>(
  url: string,
  options: BrowserWebSocketOptions<In, Out> = {},
): Observable<Connection<In, Out>> {
  const settings = resolveWebSocketOptions({ ...options, heartbeat: false });
  const { connectTimeout } = options;
  if (connectTimeout !== undefined && !(connectTimeout > 0)) {
    throw new InvalidOptionError('connectTimeout', connectTimeout, 'a positive number of milliseconds');
  }
  return new Observable<Connection<In, Out>>((subscriber) => {
    const WebSocketClass = options.WebSocket ?? globalWebSocket();
    if (WebSocketClass === undefined) throw new InvalidOptionError('WebSocket', undefined, 'a WebSocket class where there is no global one');
    const ws = new WebSocketClass(url, options.protocols);
    let connection: BrowserWebSocketConnection<In, Out> | null = null;
    let closedSubscription: Subscription | null = null;
    let timer: Subscription | null = null;

    const onFailure = (event: { readonly code: number; readonly reason: string }): void =>
      subscriber.error(new WebSocketClosedError(event.code, event.reason));
    const onOpen = (): void => {
      timer?.unsubscribe();
      ws.removeEventListener('close', onFailure);
      connection = new BrowserWebSocketConnection(ws, settings);
      closedSubscription = connection.closed$.subscribe(() => subscriber.complete());
      subscriber.next(connection);
    };
    // The close event that follows says what happened; an error event alone tells nothing.
    ws.addEventListener('error', ignore);
    ws.addEventListener('open', onOpen);
    ws.addEventListener('close', onFailure);
    if (connectTimeout !== undefined) {
      timer = settings.connection.scheduler.schedule(() => subscriber.error(new ConnectTimeoutError(connectTimeout)), connectTimeout);
    }
    return () => {
      timer?.unsubscribe();
      closedSubscription?.unsubscribe();
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('close', onFailure);
      if (connection !== null) connection.close();
      else ws.close();
    };
  });
}

/** Listener of the socket's error events, which carry no detail (its close event follows). */
function ignore(): void {
  // Deliberately empty.
}
