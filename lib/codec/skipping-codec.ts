import type { RxSocketError } from '../errors';
import type { BadFramePolicy } from './bad-frames';
import type { Codec } from './codec';
import { decodeFrame } from './codec-operators';

/**
 * What a skipping codec returns for a frame it could not decode: never a message. Whoever delivers
 * messages (a connection's fan-out, the decodeMessages operator) drops it. Internal.
 */
export const SKIPPED_FRAME: unique symbol = Symbol('rxsocket.skippedFrame');

/**
 * `codec`, under a bad-frame policy: with `'close'` the codec itself; otherwise a codec whose
 * `decode` returns {@link SKIPPED_FRAME} (and reports the DecodeError) instead of throwing.
 * Internal: connections apply it from their `badFrames` option.
 */
export function underPolicy<T>(codec: Codec<T>, policy: BadFramePolicy | undefined): Codec<T> {
  if (policy === undefined || policy === 'close') return codec;
  const report = policy === 'skip' ? undefined : (error: RxSocketError) => policy.report(error);
  return {
    name: codec.name,
    encode: (value) => codec.encode(value),
    decode(frame) {
      try {
        return decodeFrame(codec, frame);
      } catch (error) {
        report?.(error as RxSocketError);
        return SKIPPED_FRAME as unknown as T;
      }
    },
  };
}
