import { asyncScheduler } from 'rxjs';
import { textPayloadOf } from '../codec/text-payload';
import type { Codec } from '../codec/codec';
import { raw } from '../codec/raw';
import { underPolicy } from '../codec/skipping-codec';
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_HELD_BYTES, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_STALL_TIMEOUT } from '../constants';
import { InvalidOptionError } from '../errors';
import type { Framing } from '../framing/framing';
import type { CodecPair, ConnectionOptions, FramingPair, ResolvedConnectionOptions } from './connection-options';

function isFramingPair(value: Framing | FramingPair): value is FramingPair {
  return 'in' in value && 'out' in value;
}

function isCodecPair<In, Out>(value: Codec<In> | CodecPair<In, Out>): value is CodecPair<In, Out> {
  return 'in' in value && 'out' in value;
}

export function duration(name: string, value: number | undefined, fallback: number): number;
export function duration(name: string, value: number | undefined, fallback: undefined): number | undefined;
export function duration(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  const result = value ?? fallback;
  if (result !== undefined && !(result > 0 && result <= 2_147_483_647)) {
    throw new InvalidOptionError(name, value, 'a positive number of milliseconds');
  }
  return result;
}

/**
 * Applies the defaults of every connection option, with `defaultFraming` when none is given.
 * Free of Node imports (the browser entry uses it too): the Node default, `lengthPrefix`, is passed
 * in by {@link resolveConnectionOptions}.
 */
export function resolveOptionsWith<In, Out>(
  options: ConnectionOptions<In, Out>,
  defaultFraming: () => Framing,
): ResolvedConnectionOptions<In, Out> {
  const framing = options.framing ?? defaultFraming();
  const codec = options.codec ?? (raw() as unknown as Codec<In>);
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  if (!(maxQueuedBytes >= 0)) throw new InvalidOptionError('maxQueuedBytes', maxQueuedBytes, 'a non-negative number');
  const maxHeldBytes = options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
  if (!(maxHeldBytes >= 0)) throw new InvalidOptionError('maxHeldBytes', maxHeldBytes, 'a non-negative number');
  // A single codec serves both directions: the caller's In and Out are the same type then.
  const outCodec = isCodecPair(codec) ? codec.out : (codec as unknown as Codec<Out>);
  return {
    inFraming: isFramingPair(framing) ? framing.in : framing,
    outFraming: isFramingPair(framing) ? framing.out : framing,
    inCodec: underPolicy(isCodecPair(codec) ? codec.in : codec, options.badFrames),
    outCodec,
    outTextPayload: textPayloadOf(outCodec),
    maxQueuedBytes,
    maxHeldBytes,
    stallTimeout: duration('stallTimeout', options.stallTimeout, DEFAULT_STALL_TIMEOUT),
    idleTimeout: options.idleTimeout === Infinity ? undefined : duration('idleTimeout', options.idleTimeout, undefined),
    closeTimeout: duration('closeTimeout', options.closeTimeout, DEFAULT_CLOSE_TIMEOUT),
    allowHalfOpen: options.allowHalfOpen ?? false,
    scheduler: options.scheduler ?? asyncScheduler,
  };
}
