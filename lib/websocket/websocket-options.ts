import type { Codec } from '../codec/codec';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_PING_INTERVAL, DEFAULT_PONG_TIMEOUT } from '../constants';
import type { CodecPair, ConnectionOptions, ResolvedConnectionOptions } from '../connection/connection-options';
import { duration, resolveOptionsWith } from '../connection/resolve-options';
import { InvalidOptionError } from '../errors';
import { messageFraming } from './message-framing';

/** Whether outgoing messages go as WebSocket text frames or binary frames. */
export type WebSocketMessageType = 'text' | 'binary';

/** The ping/pong heartbeat of a WebSocket connection (Node side; browsers answer pings by themselves). */
export interface PingOptions {
  /** Milliseconds from one answered ping to the next ping. Default 30,000. */
  interval?: number;
  /** Milliseconds a ping may wait for its pong before the connection fails with HeartbeatTimeoutError. Default 10,000. */
  timeout?: number;
}

/**
 * How every WebSocket connection (server side, Node client, browser) limits, times out and encodes:
 * the options of every connection except framing (WebSocket messages are the frames), half-close
 * and the stall timeout (a WebSocket delivers only whole messages).
 */
export interface WebSocketConnectionOptions<In = Uint8Array, Out = In>
  extends Omit<ConnectionOptions<In, Out>, 'framing' | 'allowHalfOpen' | 'stallTimeout'> {
  /** Largest incoming or outgoing message, in bytes (ws's `maxPayload`). Default 16 MiB. */
  maxFrameBytes?: number;
  /**
   * Text or binary frames out. Default from the codec: `'text'` for `utf8()` and `json()`, whose
   * bytes are UTF-8 text, `'binary'` for any other (`raw()`, your own). Incoming frames of either
   * type go through the codec as bytes.
   */
  messageType?: WebSocketMessageType;
  /** Ping/pong heartbeat, or `false` for none. Default `{ interval: 30_000, timeout: 10_000 }`. */
  heartbeat?: PingOptions | false;
}

/** WebSocket options with every default applied. */
export interface ResolvedWebSocketOptions<In, Out> {
  readonly connection: ResolvedConnectionOptions<In, Out>;
  readonly maxFrameBytes: number;
  readonly text: boolean;
  readonly ping: { readonly interval: number; readonly timeout: number } | null;
}

function outCodecOf<In, Out>(codec: Codec<In> | CodecPair<In, Out> | undefined): Codec<unknown> | undefined {
  if (codec === undefined) return undefined;
  return 'out' in codec && 'in' in codec ? codec.out : codec;
}

/** Applies the WebSocket defaults, in one place. Free of Node imports (the browser entry uses it). */
export function resolveWebSocketOptions<In, Out>(options: WebSocketConnectionOptions<In, Out>): ResolvedWebSocketOptions<In, Out> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const framing = messageFraming(maxFrameBytes);
  const connection = resolveOptionsWith<In, Out>({ ...options, framing, allowHalfOpen: false }, () => framing);
  const type = options.messageType ?? (['utf8', 'json'].includes(outCodecOf(options.codec)?.name ?? '') ? 'text' : 'binary');
  if (type !== 'text' && type !== 'binary') throw new InvalidOptionError('messageType', type, "'text' or 'binary'");
  const beat = options.heartbeat ?? {};
  const ping =
    beat === false
      ? null
      : {
          interval: duration('heartbeat.interval', beat.interval, DEFAULT_PING_INTERVAL),
          timeout: duration('heartbeat.timeout', beat.timeout, DEFAULT_PONG_TIMEOUT),
        };
  return { connection, maxFrameBytes, text: type === 'text', ping };
}
