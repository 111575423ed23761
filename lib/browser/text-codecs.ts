import type { Codec } from '../codec/codec';

/** Options of the browser's {@link utf8}. */
export interface BrowserUtf8Options {
  /** Reject frames that are not valid UTF-8 (default true); when false, bad bytes become U+FFFD. */
  fatal?: boolean;
}

const encoder = new TextEncoder();

/**
 * UTF-8 text codec for the browser entry (over `TextEncoder`/`TextDecoder`, no Node `Buffer`),
 * with the behaviour of the Node `utf8()`: strict by default, a byte-order mark kept.
 *
 * @example
 * ```ts
 * const codec = utf8();
 * codec.decode(codec.encode('héllo')); // 'héllo'
 * ```
 */
export function utf8(options: BrowserUtf8Options = {}): Codec<string> {
  const decoder = new TextDecoder('utf-8', { fatal: options.fatal ?? true, ignoreBOM: true });
  return { name: 'utf8', encode: (text) => encoder.encode(text), decode: (frame) => decoder.decode(frame) };
}

/**
 * JSON codec for the browser entry: UTF-8 JSON text, any JSON value, as the Node `json()`.
 * Invalid UTF-8 or JSON is a DecodeError; a value JSON cannot represent is an EncodeError.
 *
 * @example
 * ```ts
 * const codec = json<{ cmd: string }>();
 * const bytes = codec.encode({ cmd: 'ping' }); // {"cmd":"ping"}
 * ```
 */
export function json<T = unknown>(): Codec<T> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return {
    name: 'json',
    encode(value) {
      const text: string | undefined = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`${typeof value} has no JSON representation`);
      return encoder.encode(text);
    },
    decode: (frame) => JSON.parse(decoder.decode(frame)) as T,
  };
}
