import { isUtf8 } from 'node:buffer';
import type { CodecPair } from '../../connection/connection-options';

/** One received line: its text, and whether it was invalid (bytes the decoding could not keep). */
export interface OnelineLine {
  /** The line without its LF, as decoded (with `'compat'` decoding, bytes >= 0x80 left out). */
  readonly text: string;
  /** True when the decoding could not keep every byte of the line. */
  readonly invalid: boolean;
}

/** How incoming bytes become text. */
export type OnelineDecoding = 'compat' | 'strict';

/**
 * The line codec of socket-oneline. `'compat'` decodes as the original does, each byte alone:
 * every byte >= 0x80 is dropped and the line flagged invalid (`"ab\u00edcd"` arrives as `"abcd"`).
 * `'strict'` decodes UTF-8: valid lines keep every character; invalid UTF-8 is flagged invalid
 * (its bad bytes replaced by U+FFFD). Outgoing lines are UTF-8.
 *
 * @example
 * ```ts
 * onelineCodec('compat').in.decode(Buffer.from('ab\u00edcd')); // { text: 'abcd', invalid: true }
 * ```
 */
export function onelineCodec(decoding: OnelineDecoding): CodecPair<OnelineLine, string> {
  const decode =
    decoding === 'compat'
      ? (frame: Uint8Array): OnelineLine => {
          const kept = Buffer.from(frame).filter((byte) => byte < 0x80);
          return { text: Buffer.from(kept).toString('latin1'), invalid: kept.length !== frame.length };
        }
      : (frame: Uint8Array): OnelineLine => ({ text: Buffer.from(frame).toString('utf8'), invalid: !isUtf8(frame) });
  return {
    in: { name: `oneline-${decoding}`, decode, encode: (line) => Buffer.from(line.text, 'utf8') },
    out: { name: 'utf8', decode: (frame) => Buffer.from(frame).toString('utf8'), encode: (text) => Buffer.from(text, 'utf8') },
  };
}
