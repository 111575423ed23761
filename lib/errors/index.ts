/**
 * The error hierarchy of rxsocket: one base class, one stable `code` per subclass, and the facts
 * of each failure as fields. Node system errors (`ECONNREFUSED`, `ECONNRESET`, ...) are never
 * wrapped: they reach subscribers as Node created them.
 */
export { RxSocketError, InvalidOptionError, describe } from './rxsocket-error';
export type { RxSocketErrorCode } from './rxsocket-error';
export {
  FrameTooLargeError,
  BadLengthError,
  BadMagicError,
  ChecksumMismatchError,
  UnexpectedEndError,
  DelimiterInPayloadError,
  BadVarintError,
  ValidationError,
  DecodeError,
  EncodeError,
} from './framing-errors';
export {
  StallTimeoutError,
  IdleTimeoutError,
  ConnectTimeoutError,
  QueueOverflowError,
  SocketPathTooLongError,
} from './connection-errors';
export {
  HandlerError,
  RequestTimeoutError,
  ConnectionLostError,
  BufferOverflowError,
  HeartbeatTimeoutError,
  ReconnectFailedError,
} from './conversation-errors';
export { WebSocketRefusedError, WebSocketClosedError } from './websocket-errors';
export { NoRespondersError } from './nats-errors';
