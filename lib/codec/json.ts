import { DEFAULT_JSON_MAX_FRAME_BYTES } from '../constants';
import { FrameTooLargeError, InvalidOptionError } from '../errors';
import type { Codec } from './codec';
import { withTextPayload } from './text-payload';
import { decodeUtf8 } from './utf8';

/** Options of {@link json}. */
export interface JsonOptions {
  /**
   * Largest JSON text decoded or encoded, in bytes: a larger frame is a FrameTooLargeError (on
   * decode, before parsing). Default 1 MiB (`DEFAULT_JSON_MAX_FRAME_BYTES`), because parsing blocks
   * the event loop: a 16 MiB object of many keys takes over a second. `Infinity` leaves only the
   * framing's `maxFrameBytes`.
   */
  maxFrameBytes?: number;
}

/**
 * JSON codec: UTF-8 JSON text, any JSON value (objects, arrays, strings, numbers, `false`, `0`,
 * `null`). Invalid UTF-8 or invalid JSON is a DecodeError; a value JSON cannot represent
 * (`undefined`, a function, a BigInt, a cycle) is an EncodeError; a text over `maxFrameBytes`
 * (1 MiB by default) is a FrameTooLargeError. Frame lengths count bytes.
 *
 * The type parameter only names what you expect: nothing is validated beyond JSON syntax.
 *
 * @example
 * ```ts
 * const codec = json<{ cmd: string }>();
 * const bytes = codec.encode({ cmd: 'ping' }); // {"cmd":"ping"}
 * const big = json({ maxFrameBytes: 8 * 1024 * 1024 }); // accept larger documents, knowing they block longer
 * ```
 */
export function json<T = unknown>(options: JsonOptions = {}): Codec<T> {
  const max = options.maxFrameBytes ?? DEFAULT_JSON_MAX_FRAME_BYTES;
  if (!(max >= 0)) throw new InvalidOptionError('maxFrameBytes', max, 'a non-negative number of bytes');
  /** The JSON text of `value`, checked against the limit without encoding it unless it may be over. */
  function text(value: T): string {
    const out = stringify(value);
    // A UTF-16 unit is at most 3 UTF-8 bytes: only a text that may be over the limit is measured.
    if (out.length * 3 > max) {
      const bytes = Buffer.byteLength(out, 'utf8');
      if (bytes > max) throw new FrameTooLargeError(bytes, max);
    }
    return out;
  }
  return withTextPayload<T>(
    {
      name: 'json',
      encode(value) {
        const bytes = Buffer.from(stringify(value), 'utf8');
        if (bytes.length > max) throw new FrameTooLargeError(bytes.length, max);
        return bytes;
      },
      decode(frame) {
        if (frame.byteLength > max) throw new FrameTooLargeError(frame.byteLength, max);
        return JSON.parse(decodeUtf8(frame, true)) as T;
      },
    },
    text,
  );
}

/** `JSON.stringify`, failing on a value JSON cannot represent instead of returning `undefined`. */
function stringify(value: unknown): string {
  const text: string | undefined = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${typeof value} has no JSON representation`);
  return text;
}
