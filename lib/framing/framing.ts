import { map, Observable, Subject, takeUntil, type OperatorFunction } from 'rxjs';
import type { FrameDecoder } from './frame-decoder';

export type { FrameCallback, FrameDecoder } from './frame-decoder';

/**
 * The wire bytes of one frame, in two parts: for prefixed framings `[header, payload]`, for delimiter
 * framing `[payload, delimiter]`. The payload is never copied, so a writer can send the parts
 * (under `cork()`) without concatenating them.
 */
export type FrameParts = readonly [Uint8Array, Uint8Array];

/**
 * A way to cut a byte stream into frames and to frame payloads again: a decoder factory, an
 * encoder, and both as RxJS operators.
 *
 * @example
 * ```ts
 * const framing = lengthPrefix();
 * from([wireBytes]).pipe(framing.decode()).subscribe((frame) => console.log(frame));
 * const [header, payload] = framing.encodeFrame(Buffer.from('hi'));
 * ```
 */
export interface Framing {
  /** A short description, for example `length-prefix(u32be)`. */
  readonly name: string;
  /** Largest payload this framing decodes or encodes. */
  readonly maxFrameBytes: number;
  /** A fresh decoder with its own state (one per stream). */
  createDecoder(): FrameDecoder;
  /** Bytes a frame adds to its payload (header size, or delimiter length); for a varint length, the most it adds. */
  readonly overheadBytes: number;
  /** Frames one payload; throws a typed error if it cannot (too large, contains the delimiter). */
  encodeFrame(payload: Uint8Array): FrameParts;
  /**
   * Writes the whole frame of `payload` into `target` at `offset` and returns the offset after
   * it; the caller guarantees `overheadBytes + payload.byteLength` bytes of room. Lets a writer
   * batch many small frames into one buffer without allocating per frame.
   */
  encodeInto(payload: Uint8Array, target: Buffer, offset: number): number;
  /**
   * Optional: {@link encodeInto} for a payload given as text, without encoding it first. Writes the
   * frame of the UTF-8 bytes of `text` into `target` from `offset`, before `end`, and returns the
   * offset after it, or -1 when it does not fit (bytes in `[offset, end)` may then have changed).
   * The bytes and the errors are exactly those of `encodeInto(Buffer.from(text, 'utf8'), ...)`.
   * Only for a framing whose frames add exactly `overheadBytes`. The built-in fixed-width prefix framings and delimiter framing have it; a writer uses it for
   * codecs whose payload is text (json, utf8).
   */
  encodeTextInto?(text: string, target: Buffer, offset: number, end: number): number;
  /** Operator from byte chunks to frames; each subscription gets its own decoder. */
  decode(): OperatorFunction<Uint8Array, Uint8Array>;
  /** Operator from payloads to their wire parts. */
  encode(): OperatorFunction<Uint8Array, FrameParts>;
}

/** What a framing implementation provides; {@link defineFraming} adds the operators. */
export type FramingCore = Omit<Framing, 'decode' | 'encode'>;

/**
 * Completes a framing core (name, limit, a pure decoder factory, and the encoders) with its
 * `decode()` and `encode()` operators: how a custom framing becomes usable everywhere a built-in
 * one is (connections, `decodeMessages`, the test kit).
 *
 * @example
 * ```ts
 * const records = defineFraming({ name: 'fixed(8)', maxFrameBytes: 8, overheadBytes: 0, createDecoder: () => new RecordDecoder(8),
 *   encodeFrame: (payload) => [payload, new Uint8Array(0)], encodeInto: (p, target, at) => (target.set(p, at), at + p.length) });
 * ```
 */
export function defineFraming(core: FramingCore): Framing {
  return {
    ...core,
    decode: () => decodeFramesWith(() => core.createDecoder()),
    encode: () => map((payload: Uint8Array) => core.encodeFrame(payload)),
  };
}

/**
 * The operator behind every `decode()`, for a decoder written by hand: one decoder per subscription, and each frame handed
 * straight to the subscriber (no inner Observable per chunk). The source runs under `takeUntil`
 * of a signal fired by the subscriber's own teardown, so a synchronous source stops the moment
 * the subscriber unsubscribes. Errors thrown by the decoder (or by a user callback it calls)
 * become error notifications.
 *
 * @example
 * ```ts
 * chunks$.pipe(decodeFramesWith(() => new RecordDecoder(8))).subscribe((record) => console.log(record));
 * ```
 */
export function decodeFramesWith(createDecoder: () => FrameDecoder): OperatorFunction<Uint8Array, Uint8Array> {
  return (source: Observable<Uint8Array>) =>
    new Observable<Uint8Array>((subscriber) => {
      const decoder = createDecoder();
      const unsubscribed = new Subject<void>();
      subscriber.add(() => unsubscribed.next());
      const onFrame = (frame: Uint8Array): void => {
        if (!subscriber.closed) subscriber.next(frame);
      };
      source.pipe(takeUntil(unsubscribed)).subscribe({
        next(chunk) {
          try {
            decoder.feed(chunk, onFrame);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          if (subscriber.closed) return;
          try {
            decoder.finish(onFrame);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
}
