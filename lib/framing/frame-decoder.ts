import { UnexpectedEndError } from '../errors';

/** Receives each frame a decoder completes, in order; a frame inside the chunk is a view of it. */
export type FrameCallback = (frame: Uint8Array) => void;

/**
 * A pure, incremental frame decoder: bytes in, complete frames out. It knows nothing of RxJS
 * or sockets, so it is unit-tested and benchmarked on its own.
 *
 * `feed` hands each frame to a callback as soon as it is cut (no array per chunk): the form the
 * operators and connections use. `push` and `end` return the frames as an array, for tests and
 * one-off use. Frames that lie inside one chunk are views of that chunk (no copy); a frame that
 * spans chunks is assembled once. Bad input throws a typed {@link RxSocketError}; after that (or
 * after the callback throws) the decoder must not be used again.
 */
export interface FrameDecoder {
  /** Consumes `chunk` and calls `onFrame` with each frame it completes, in order (often none). */
  feed(chunk: Uint8Array, onFrame: FrameCallback): void;
  /** Signals the end of input: calls `onFrame` with what the end completes, or throws if it cuts a frame. */
  finish(onFrame: FrameCallback): void;
  /** Consumes `chunk` and returns the frames it completes, in order (often none). */
  push(chunk: Uint8Array): Uint8Array[];
  /** Signals the end of input: returns what the end completes, or throws if it cuts a frame. */
  end(): Uint8Array[];
  /** Bytes of an unfinished frame held right now (0 between frames). */
  readonly bufferedBytes: number;
}

/**
 * The base of a decoder written by hand (for {@link defineFraming}): implement `feed` and
 * `bufferedBytes`; `push` and `end` come from them, and the default `finish` throws
 * `UnexpectedEndError` if input ends with bytes buffered. Keep it pure: state in fields, frames
 * out through the callback, the limit checked as soon as a size is known.
 *
 * @example
 * ```ts
 * class RecordDecoder extends FrameDecoderBase {
 *   bufferedBytes = 0; // a real decoder keeps the bytes of a record split across chunks
 *   constructor(private readonly size: number) { super(); }
 *   feed(chunk: Uint8Array, onFrame: FrameCallback): void {
 *     for (let at = 0; at + this.size <= chunk.byteLength; at += this.size) onFrame(chunk.subarray(at, at + this.size));
 *   }
 * }
 * new RecordDecoder(2).push(Buffer.from('abcd')); // [<61 62>, <63 64>]
 * ```
 */
export abstract class FrameDecoderBase implements FrameDecoder {
  abstract readonly bufferedBytes: number;

  abstract feed(chunk: Uint8Array, onFrame: FrameCallback): void;

  finish(_onFrame: FrameCallback): void {
    const held = this.bufferedBytes;
    if (held > 0) throw new UnexpectedEndError(held, held + 1);
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    this.feed(chunk, (frame) => frames.push(frame));
    return frames;
  }

  end(): Uint8Array[] {
    const frames: Uint8Array[] = [];
    this.finish((frame) => frames.push(frame));
    return frames;
  }
}
