import { filter, map, pipe, type OperatorFunction } from 'rxjs';
import { DecodeError, EncodeError, RxSocketError, ValidationError } from '../errors';
import type { BadFramePolicy } from './bad-frames';
import type { Codec } from './codec';
import { SKIPPED_FRAME, underPolicy } from './skipping-codec';
import type { TextPayload } from './text-payload';

/**
 * Runs `codec.decode` on one frame; a failure becomes a DecodeError carrying the cause and the
 * frame size (an RxSocketError thrown by the codec passes through as it is, but a schema's
 * ValidationError is a DecodeError's cause like any other codec failure).
 */
export function decodeFrame<T>(codec: Codec<T>, frame: Uint8Array): T {
  try {
    return codec.decode(frame);
  } catch (cause) {
    throw cause instanceof RxSocketError && !(cause instanceof ValidationError) ? cause : new DecodeError(frame.byteLength, cause);
  }
}

/** Options of {@link decodeMessages}. */
export interface DecodeMessagesOptions {
  /** A frame that fails to decode: `'close'` (default) errors the stream; `'skip'` or {@link skipBadFrames} drops it. */
  badFrames?: BadFramePolicy;
}

/** Runs `codec.encode` on one value; a failure becomes an EncodeError carrying the cause. */
export function encodeValue<T>(codec: Codec<T>, value: T): Uint8Array {
  try {
    return codec.encode(value);
  } catch (cause) {
    throw cause instanceof RxSocketError ? cause : new EncodeError(cause);
  }
}

/** @internal {@link encodeValue} for a codec's text form (see `textPayloadOf`): the same errors. */
export function encodeText<T>(text: TextPayload<T>, value: T): string | undefined {
  try {
    return text(value);
  } catch (cause) {
    throw cause instanceof RxSocketError ? cause : new EncodeError(cause);
  }
}

/**
 * Operator from frames to values: `codec.decode` per frame; a frame that fails to decode errors
 * the stream with a DecodeError (`cause`, `frameBytes`), unless `badFrames` skips it.
 *
 * @example
 * ```ts
 * chunks$.pipe(lengthPrefix().decode(), decodeMessages(json())).subscribe(console.log);
 * ```
 */
export function decodeMessages<T>(codec: Codec<T>, options: DecodeMessagesOptions = {}): OperatorFunction<Uint8Array, T> {
  const policy = options.badFrames ?? 'close';
  if (policy === 'close') return map((frame) => decodeFrame(codec, frame));
  const lenient = underPolicy(codec, policy);
  return pipe(
    map((frame: Uint8Array) => lenient.decode(frame)),
    filter((value) => (value as unknown) !== SKIPPED_FRAME),
  );
}

/**
 * Operator from values to payload bytes: `codec.encode` per value; a failure errors the stream
 * with an EncodeError.
 *
 * @example
 * ```ts
 * of({ hello: 'world' }).pipe(encodeMessages(json()), lengthPrefix().encode());
 * ```
 */
export function encodeMessages<T>(codec: Codec<T>): OperatorFunction<T, Uint8Array> {
  return map((value) => encodeValue(codec, value));
}
