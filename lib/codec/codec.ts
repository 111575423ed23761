/**
 * Turns frames into values and values into frames. Implement it for any format; throw from
 * `decode` or `encode` on bad input, and rxsocket wraps the failure in a DecodeError or
 * EncodeError that carries it as `cause`.
 *
 * @example
 * ```ts
 * const upper: Codec<string> = {
 *   name: 'upper',
 *   encode: (text) => Buffer.from(text.toUpperCase()),
 *   decode: (frame) => Buffer.from(frame).toString('utf8'),
 * };
 * ```
 */
export interface Codec<T> {
  /** A short name, for messages and logs. */
  readonly name: string;
  /** The payload bytes of one message. */
  encode(value: T): Uint8Array;
  /** The value carried by one frame. */
  decode(frame: Uint8Array): T;
}
