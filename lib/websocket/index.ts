/**
 * rxjs-socket/websocket: WebSocket connections and servers (Node, on `ws` 8), giving the same
 * `Connection` as TCP ones, so `serve`, `requester`, `reconnecting` and `pool` work on them unchanged.
 * This entry point alone loads `ws`; the core never does.
 */

// Connections and servers
export { listenWebSocket } from './listen-websocket';
export type { ListenWebSocketOptions } from './listen-websocket';
export { connectWebSocket } from './connect-websocket';
export type { ConnectWebSocketOptions } from './connect-websocket';
export type { WebSocketConnectionOptions, WebSocketMessageType, PingOptions } from './websocket-options';
export type { AuthorizeResult, OriginPolicy } from './upgrade-gate';

// Errors (also exported by the core entry point)
export { WebSocketRefusedError, WebSocketClosedError, HeartbeatTimeoutError } from '../errors';
