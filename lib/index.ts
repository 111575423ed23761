/**
 * rxsocket: network sockets as RxJS streams.
 *
 * Every export of the package is named here; anything not listed is internal.
 */

// Errors
export {
  RxSocketError,
  InvalidOptionError,
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
  StallTimeoutError,
  IdleTimeoutError,
  ConnectTimeoutError,
  QueueOverflowError,
  SocketPathTooLongError,
  HandlerError,
  RequestTimeoutError,
  ConnectionLostError,
  BufferOverflowError,
  HeartbeatTimeoutError,
  ReconnectFailedError,
  WebSocketRefusedError,
  WebSocketClosedError,
  NoRespondersError,
} from './errors';
export type { RxSocketErrorCode } from './errors';

// Limits
export {
  DEFAULT_MAX_FRAME_BYTES,
  JSOCKET_V2_MAX_FRAME_BYTES,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_STALL_TIMEOUT,
  DEFAULT_CLOSE_TIMEOUT,
  DEFAULT_MAX_WAITING,
  DEFAULT_JSON_MAX_FRAME_BYTES,
  DEFAULT_QUEUE_IDLE_TIMEOUT,
  DEFAULT_WAIT_TIMEOUT,
  DEFAULT_HANDSHAKE_TIMEOUT,
  DEFAULT_PING_INTERVAL,
  DEFAULT_PONG_TIMEOUT,
  DEFAULT_HOST,
} from './constants';

// Framing
export type { Framing, FrameParts, FramingCore } from './framing/framing';
export type { FrameCallback, FrameDecoder } from './framing/frame-decoder';
export { FrameDecoderBase } from './framing/frame-decoder';
export { defineFraming, decodeFramesWith } from './framing/framing';
export { lengthPrefix } from './framing/length-prefix';
export type { LengthPrefixOptions } from './framing/length-prefix';
export type { Endian, LengthBytes } from './framing/prefix-framing';
export { delimiter } from './framing/delimiter';
export type { DelimiterOptions } from './framing/delimiter';
export type { TrailingPolicy } from './framing/delimiter-decoder';
export { varintPrefix } from './framing/varint-prefix';
export type { VarintPrefixOptions } from './framing/varint-prefix';
export { headerPrefix } from './framing/header-prefix';
export type { HeaderPrefixOptions, BadMagicPolicy } from './framing/header-prefix';
export { jsocketFraming, onelineFraming, packetsocketFraming, jsockdFraming } from './framing/presets';
export type { JsocketGeneration, JsockdDirection } from './framing/presets';

// Codecs
export type { Codec } from './codec/codec';
export { json } from './codec/json';
export type { JsonOptions } from './codec/json';
export { utf8 } from './codec/utf8';
export type { Utf8Options } from './codec/utf8';
export { raw } from './codec/raw';
export { decodeMessages, encodeMessages } from './codec/codec-operators';
export type { DecodeMessagesOptions } from './codec/codec-operators';
export { validated } from './codec/validated';
export type { StandardSchemaV1 } from './codec/standard-schema';
export { skipBadFrames } from './codec/bad-frames';
export type { BadFramePolicy, SkipBadFrames } from './codec/bad-frames';

// Connections and servers
export type { Connection, ConnectionSink, CloseInfo, SocketAddress } from './connection/connection';
export { sinkSubject, type SinkHandlers } from './connection/sink-subject';
export type { ConnectionOptions, FramingPair, CodecPair } from './connection/connection-options';
export type { TcpOptions } from './connection/socket-setup';
export { connect } from './connection/connect';
export type { ConnectOptions, ConnectAddress } from './connection/connect';
export { listen } from './connection/listen';
export type { ListenOptions, ListenAddress } from './connection/listen';
export type { WhenFull } from './connection/admission';
export { fromSocket } from './connection/from-socket';
export { broadcast } from './connection/broadcast';
export type { BroadcastTarget } from './connection/broadcast';
export { listening } from './connection/listening';
export type { ListeningServer } from './connection/listening';

// Async code and plain JavaScript
export { acquire } from './interop/acquire';
export type { Acquired, AcquireOptions } from './interop/acquire';
export { eachMessage } from './interop/each-message';
export type { EachMessageOptions } from './interop/each-message';

// Statistics
export { connectionStats } from './stats/connection-stats';
export type { ConnectionStats, StatsOptions } from './stats/connection-stats';
export { serverStats } from './stats/server-stats';
export type { ServerStats, ServerStatsSample } from './stats/server-stats';
export type { ConnectionTraffic } from './stats/traffic';

// Server-sent events
export { serverSentEvents } from './sse/server-sent-events';
export type { ServerSentEventsOptions } from './sse/server-sent-events';

// Conversations
export { serve } from './conversation/serve';
export type { ReplyHandler, ServeOptions, ServedConnection, HandlerErrorPolicy } from './conversation/serve';
export { requester } from './conversation/requester';
export type { Requester, RequesterOptions, RequestOptions, Correlation, CorrelationId } from './conversation/requester';
export { idRequester } from './conversation/id-requester';
export type { IdRequester, IdRequesterOptions } from './conversation/id-requester';
export { serveWithIds } from './conversation/serve-with-ids';
export type { BodyHandler, ServeWithIdsOptions } from './conversation/serve-with-ids';
export { idEnvelope } from './conversation/envelope';
export type { Envelope, Enveloped } from './conversation/envelope';
export { multiplex } from './conversation/multiplex';
export type { MultiplexOptions } from './conversation/multiplex';
export { rooms } from './conversation/rooms';
export type { Rooms, RoomMember } from './conversation/rooms';
export { reconnecting } from './conversation/reconnecting';
export type {
  ReconnectingClient,
  ReconnectingOptions,
  ClientState,
  ClientStatus,
  UnsentMessage,
  HeartbeatOptions,
} from './conversation/reconnecting';
export type { BackoffOptions } from './conversation/backoff';
export { pool } from './conversation/pool';
export type { Connector, AddressOrConnector } from './conversation/connector';
export type { Pool, PoolOptions, PoolState, PoolStatus } from './conversation/pool';

// Protocol kits
export { jsocketServer, jsocketClient } from './protocols/jsocket';
export type { JsocketServerOptions, JsocketHandler, JsocketClient, JsocketClientOptions } from './protocols/jsocket';
export { onelineServer, serveOneline, onelineClient, onelineCodec } from './protocols/oneline';
export type { OnelineServerOptions, OnelineHandler, OnelineClient, OnelineClientOptions, OnelineLine, OnelineDecoding } from './protocols/oneline';
export { packetsocketServer, packetsocketClient, DEFAULT_PACKET_PACING } from './protocols/packetsocket';
export type { PacketServer, PacketClient, TaggedPacket, PacketsocketServerOptions, PacketsocketClientOptions, PacketPacing } from './protocols/packetsocket';
export {
  jsockd,
  JsockdProtocolError,
  JsockdExceptionError,
  JsockdStartTimeoutError,
  JsockdVersionError,
  JsockdLogParser,
  parseReplyLine,
  parseReadyLine,
  JSOCKD_DEFAULT_VERSIONS,
} from './protocols/jsockd';
export type {
  JsockdClient,
  JsockdOptions,
  JsockdRunOptions,
  JsockdRawRunOptions,
  JsockdMessageHandler,
  JsockdRawMessageHandler,
  JsockdClosed,
  JsockdExitStatus,
  JsockdLogEntry,
  JsockdReply,
  JsockdReplyKind,
  JsockdReadyLine,
  JsockdFailure,
} from './protocols/jsockd';
