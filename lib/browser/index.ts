/**
 * rxjs-socket/browser: the same `Connection` in a web page, over the browser's `WebSocket`, with
 * the reconnecting client, the conversations and the codecs. No Node import anywhere below this
 * file (a test bundles it and checks).
 */

// Connections
export { connectWebSocket } from './connect-websocket';
export type { BrowserWebSocketOptions } from './connect-websocket';
export type { WebSocketLike, WebSocketConstructor } from './web-socket-api';
export type { Connection, ConnectionSink, CloseInfo } from '../connection/connection';
export { sinkSubject, type SinkHandlers } from '../connection/sink-subject';
export type { WebSocketMessageType } from '../websocket/websocket-options';

// Conversations
export { reconnecting } from './reconnecting-websocket';
export type { BrowserReconnectingOptions } from './reconnecting-websocket';
export type {
  ReconnectingClient,
  ReconnectPolicy,
  ClientState,
  ClientStatus,
  UnsentMessage,
  HeartbeatOptions,
} from '../conversation/reconnecting-client';
export type { BackoffOptions } from '../conversation/backoff';
export { requester } from '../conversation/requester';
export type { Requester, RequesterOptions, RequestOptions, Correlation, CorrelationId } from '../conversation/requester';
export { idRequester } from '../conversation/id-requester';
export type { IdRequester, IdRequesterOptions } from '../conversation/id-requester';
export { idEnvelope } from '../conversation/envelope';
export type { Envelope, Enveloped } from '../conversation/envelope';

// Codecs
export type { Codec } from '../codec/codec';
export { json, utf8 } from './text-codecs';
export type { BrowserUtf8Options } from './text-codecs';
export { raw } from '../codec/raw';

// Errors
export {
  RxSocketError,
  InvalidOptionError,
  FrameTooLargeError,
  DecodeError,
  EncodeError,
  IdleTimeoutError,
  ConnectTimeoutError,
  QueueOverflowError,
  HandlerError,
  RequestTimeoutError,
  ConnectionLostError,
  BufferOverflowError,
  HeartbeatTimeoutError,
  ReconnectFailedError,
  WebSocketRefusedError,
  WebSocketClosedError,
} from '../errors';
export type { RxSocketErrorCode } from '../errors';
