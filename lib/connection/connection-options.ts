import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Codec } from '../codec/codec';
import { raw } from '../codec/raw';
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_STALL_TIMEOUT } from '../constants';
import { InvalidOptionError } from '../errors';
import type { Framing } from '../framing/framing';
import { lengthPrefix } from '../framing/length-prefix';

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
  /** Codec of both directions, or `{ in, out }`. Default `raw()`: messages are bytes. */
  codec?: Codec<In> | CodecPair<In, Out>;
  /** Outgoing bytes queued behind a slow peer before the connection fails with QueueOverflowError. Default 32 MiB. */
  maxQueuedBytes?: number;
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
}

/** Connection options with every default applied. */
export interface ResolvedConnectionOptions<In, Out> {
  readonly inFraming: Framing;
  readonly outFraming: Framing;
  readonly inCodec: Codec<In>;
  readonly outCodec: Codec<Out>;
  readonly maxQueuedBytes: number;
  readonly stallTimeout: number;
  readonly idleTimeout: number | undefined;
  readonly closeTimeout: number;
  readonly allowHalfOpen: boolean;
  readonly scheduler: SchedulerLike;
}

function isFramingPair(value: Framing | FramingPair): value is FramingPair {
  return 'in' in value && 'out' in value;
}

function isCodecPair<In, Out>(value: Codec<In> | CodecPair<In, Out>): value is CodecPair<In, Out> {
  return 'in' in value && 'out' in value;
}

function duration(name: string, value: number | undefined, fallback: number): number;
function duration(name: string, value: number | undefined, fallback: undefined): number | undefined;
function duration(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  const result = value ?? fallback;
  if (result !== undefined && !(result > 0 && result <= 2_147_483_647)) {
    throw new InvalidOptionError(name, value, 'a positive number of milliseconds');
  }
  return result;
}

/** Applies the defaults, in the one place they are defined. */
export function resolveConnectionOptions<In, Out>(options: ConnectionOptions<In, Out>): ResolvedConnectionOptions<In, Out> {
  const framing = options.framing ?? lengthPrefix();
  const codec = options.codec ?? (raw() as unknown as Codec<In>);
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  if (!(maxQueuedBytes >= 0)) throw new InvalidOptionError('maxQueuedBytes', maxQueuedBytes, 'a non-negative number');
  return {
    inFraming: isFramingPair(framing) ? framing.in : framing,
    outFraming: isFramingPair(framing) ? framing.out : framing,
    inCodec: isCodecPair(codec) ? codec.in : codec,
    // A single codec serves both directions: the caller's In and Out are the same type then.
    outCodec: isCodecPair(codec) ? codec.out : (codec as unknown as Codec<Out>),
    maxQueuedBytes,
    stallTimeout: duration('stallTimeout', options.stallTimeout, DEFAULT_STALL_TIMEOUT),
    idleTimeout: options.idleTimeout === Infinity ? undefined : duration('idleTimeout', options.idleTimeout, undefined),
    closeTimeout: duration('closeTimeout', options.closeTimeout, DEFAULT_CLOSE_TIMEOUT),
    allowHalfOpen: options.allowHalfOpen ?? false,
    scheduler: options.scheduler ?? asyncScheduler,
  };
}
