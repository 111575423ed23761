import { map, type OperatorFunction } from 'rxjs';
import { DecodeError, EncodeError, RxSocketError } from '../errors';
import type { Codec } from './codec';

/**
 * Runs `codec.decode` on one frame; a failure becomes a DecodeError carrying the cause and the
 * frame size (an RxSocketError thrown by the codec passes through as it is).
 */
export function decodeFrame<T>(codec: Codec<T>, frame: Uint8Array): T {
  try {
    return codec.decode(frame);
  } catch (cause) {
    throw cause instanceof RxSocketError ? cause : new DecodeError(frame.byteLength, cause);
  }
}

/** Runs `codec.encode` on one value; a failure becomes an EncodeError carrying the cause. */
export function encodeValue<T>(codec: Codec<T>, value: T): Uint8Array {
  try {
    return codec.encode(value);
  } catch (cause) {
    throw cause instanceof RxSocketError ? cause : new EncodeError(cause);
  }
}

/**
 * Operator from frames to values: `codec.decode` per frame; a frame that fails to decode errors
 * the stream with a DecodeError (`cause`, `frameBytes`).
 *
 * @example
 * ```ts
 * chunks$.pipe(lengthPrefix().decode(), decodeMessages(json())).subscribe(console.log);
 * ```
 */
export function decodeMessages<T>(codec: Codec<T>): OperatorFunction<Uint8Array, T> {
  return map((frame) => decodeFrame(codec, frame));
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
