import type { SchedulerLike } from 'rxjs';
import type { TextPayload } from '../codec/text-payload';
import type { ServerAddresses } from './socket-address';
import type { BadFramePolicy } from '../codec/bad-frames';
import type { Codec } from '../codec/codec';
import type { Framing } from '../framing/framing';
import { lengthPrefix } from '../framing/length-prefix';
import { resolveOptionsWith } from './resolve-options';

/** Different framings for the two directions (jsockd writes NUL fields and reads LF lines). */
export interface FramingPair {
  /** Framing of incoming bytes. */
  readonly in: Framing;
  /** Framing of outgoing bytes. */
  readonly out: Framing;
}

/** Different codecs for the two directions. */
export interface CodecPair<In, Out> {
  /** Codec of incoming frames. */
  readonly in: Codec<In>;
  /** Codec of outgoing messages. */
  readonly out: Codec<Out>;
}

/** How every connection (client, server side, or wrapped `Duplex`) frames, limits and times out. */
export interface ConnectionOptions<In = Uint8Array, Out = In> {
  /** Framing of both directions, or `{ in, out }`. Default `lengthPrefix()` (u32 BE). */
  framing?: Framing | FramingPair;
  /**
   * Codec of both directions, or `{ in, out }`. Default `raw()`: messages are bytes. One codec
   * for both directions fits only when `In` and `Out` are the same type (so
   * `listen<string, number>({ codec: utf8() })` does not compile); otherwise give a pair.
   */
  codec?: (Codec<In> & Codec<Out>) | CodecPair<In, Out>;
  /** Outgoing bytes queued behind a slow peer before the connection fails with QueueOverflowError. Default 32 MiB. */
  maxQueuedBytes?: number;
  /**
   * Incoming bytes held for `messages$` while nobody is subscribed to it (each message counts its
   * frame's bytes plus 8).
   * Reading ahead that far lets a connection that only writes notice the peer's end or a reset at
   * once; past it, reading stops (TCP slows the peer) until somebody subscribes. Default 64 KiB;
   * 0 reads nothing before the first subscription.
   */
  maxHeldBytes?: number;
  /** Milliseconds a partial incoming frame may take to complete. Default 30,000. */
  stallTimeout?: number;
  /**
   * Milliseconds without traffic either way before the connection fails with IdleTimeoutError.
   * Default: none, except on servers that keep clients waiting (`singleClient`, `whenFull:
   * 'queue'`): 30 s. `Infinity`: none.
   */
  idleTimeout?: number;
  /** Milliseconds a graceful close may take before the socket is destroyed. Default 5,000. */
  closeTimeout?: number;
  /** Keep the writing side open after the peer ends its side (half-close). Default false. */
  allowHalfOpen?: boolean;
  /** Scheduler of every timer (stall, idle, close). Default `asyncScheduler`; a TestScheduler in tests. */
  scheduler?: SchedulerLike;
  /**
   * A frame the codec cannot decode: `'close'` (default) fails the connection with the
   * DecodeError; `'skip'` drops it and reads on; `skipBadFrames()` skips, counts and reports.
   */
  badFrames?: BadFramePolicy;
}

/** Connection options with every default applied. */
export interface ResolvedConnectionOptions<In, Out> {
  readonly inFraming: Framing;
  readonly outFraming: Framing;
  readonly inCodec: Codec<In>;
  readonly outCodec: Codec<Out>;
  /** The out codec's payload as text (json, utf8), for transports that write text into their frames. */
  readonly outTextPayload?: TextPayload<Out>;
  readonly maxQueuedBytes: number;
  readonly maxHeldBytes: number;
  readonly stallTimeout: number;
  readonly idleTimeout: number | undefined;
  readonly closeTimeout: number;
  readonly allowHalfOpen: boolean;
  readonly scheduler: SchedulerLike;
  /** A server's: what it knows of its connections' addresses (one object for all of them). */
  readonly serverAddresses?: ServerAddresses;
}

/** Applies the defaults (framing `lengthPrefix()`), in the one place they are defined. */
export function resolveConnectionOptions<In, Out>(options: ConnectionOptions<In, Out>): ResolvedConnectionOptions<In, Out> {
  return resolveOptionsWith(options, lengthPrefix);
}
