import { isUtf8 } from 'node:buffer';
import { asBuffer } from '../internal/bytes';
import type { Codec } from './codec';
import { withTextPayload } from './text-payload';

/** Options of {@link utf8}. */
export interface Utf8Options {
  /** Reject frames that are not valid UTF-8 (default true); when false, bad bytes become U+FFFD. */
  fatal?: boolean;
}

/** Decodes a frame as UTF-8 text, failing on invalid UTF-8 unless `fatal` is false. */
export function decodeUtf8(frame: Uint8Array, fatal: boolean): string {
  const buf = asBuffer(frame);
  if (fatal && !isUtf8(buf)) throw new TypeError('frame is not valid UTF-8');
  return buf.toString('utf8');
}

/**
 * UTF-8 text codec. Decoding is strict by default: invalid UTF-8 is a DecodeError, never silently
 * replaced. A byte-order mark is kept as U+FEFF, not stripped.
 *
 * @example
 * ```ts
 * const codec = utf8();
 * codec.decode(codec.encode('héllo')); // 'héllo'
 * ```
 */
export function utf8(options: Utf8Options = {}): Codec<string> {
  const fatal = options.fatal ?? true;
  return withTextPayload<string>(
    {
      name: 'utf8',
      encode: (text) => Buffer.from(text, 'utf8'),
      decode: (frame) => decodeUtf8(frame, fatal),
    },
    // Not a string (a caller without types): `encode` decides what happens to it.
    (text) => (typeof text === 'string' ? text : undefined),
  );
}
