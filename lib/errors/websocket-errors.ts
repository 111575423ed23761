/** Errors of WebSocket connections: a refused upgrade, and a close that was not a normal one. */
import { RxSocketError } from './rxsocket-error';

/**
 * The server refused the WebSocket upgrade with an HTTP status (403 for a foreign origin, or what
 * the server's `authorize` hook chose), or answered something other than an upgrade.
 *
 * @example
 * ```ts
 * connectWebSocket(url).subscribe({ error: (e) => e instanceof WebSocketRefusedError && console.warn(e.status) });
 * ```
 */
export class WebSocketRefusedError extends RxSocketError {
  constructor(
    /** The HTTP status the server answered with. */
    readonly status: number,
  ) {
    super('RXSOCKET_ERR_WEBSOCKET_REFUSED', `WebSocket upgrade refused with HTTP status ${status}`);
  }
}

/**
 * A WebSocket connection closed with a code other than a normal one (1000 normal, 1001 going away,
 * 1005 no code): 1006 when the socket closed without a closing handshake, 1009 for a message over
 * the peer's limit, 1011 for a server error, 4000-4999 for the application's own codes.
 *
 * @example
 * ```ts
 * connection.messages$.subscribe({ error: (e) => e instanceof WebSocketClosedError && console.warn(e.closeCode, e.reason) });
 * ```
 */
export class WebSocketClosedError extends RxSocketError {
  constructor(
    /** The close code. */
    readonly closeCode: number,
    /** The close reason text ('' if none). */
    readonly reason: string,
  ) {
    super('RXSOCKET_ERR_WEBSOCKET_CLOSED', `WebSocket closed with code ${closeCode}${reason === '' ? '' : `: ${reason}`}`);
  }
}
