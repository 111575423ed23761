import type { Codec } from './codec';
import { decodeUtf8 } from './utf8';

/**
 * JSON codec: UTF-8 JSON text, any JSON value (objects, arrays, strings, numbers, `false`, `0`,
 * `null`). Invalid UTF-8 or invalid JSON is a DecodeError; a value JSON cannot represent
 * (`undefined`, a function, a BigInt, a cycle) is an EncodeError. Frame lengths count bytes.
 *
 * The type parameter only names what you expect: nothing is validated beyond JSON syntax.
 *
 * @example
 * ```ts
 * const codec = json<{ cmd: string }>();
 * const bytes = codec.encode({ cmd: 'ping' }); // {"cmd":"ping"}
 * ```
 */
export function json<T = unknown>(): Codec<T> {
  return {
    name: 'json',
    encode(value) {
      const text: string | undefined = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`${typeof value} has no JSON representation`);
      return Buffer.from(text, 'utf8');
    },
    decode: (frame) => JSON.parse(decodeUtf8(frame, true)) as T,
  };
}
