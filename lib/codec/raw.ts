import type { Codec } from './codec';

/**
 * Raw codec: frames are delivered as they are (views of the received bytes, not copies) and
 * payloads are sent as given.
 *
 * @example
 * ```ts
 * const codec = raw();
 * codec.encode(Uint8Array.of(1, 2, 3)); // the same bytes
 * ```
 */
export function raw(): Codec<Uint8Array> {
  return { name: 'raw', encode: (bytes) => bytes, decode: (frame) => frame };
}
