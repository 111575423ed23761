import type { Framing } from './framing';
import { prefixFraming, type Endian, type LengthBytes } from './prefix-framing';

/** Options of {@link lengthPrefix}. */
export interface LengthPrefixOptions {
  /** Width of the length field in bytes: 1, 2, 4 or 8. Default 4. */
  lengthBytes?: LengthBytes;
  /** Byte order of the length field. Default `'big'` (network order). */
  endian?: Endian;
  /** The length counts the length field itself as well as the payload. Default false. */
  lengthIncludesHeader?: boolean;
  /** Largest payload decoded or encoded. Default 16 MiB (or what the field can express). */
  maxFrameBytes?: number;
}

/**
 * Length-prefix framing: each frame is an unsigned length field followed by that many payload
 * bytes. The limit is checked as soon as the length is read, before any payload is buffered.
 *
 * @example
 * ```ts
 * const framing = lengthPrefix({ lengthBytes: 2, endian: 'little' });
 * const [header, payload] = framing.encodeFrame(Buffer.from('hi')); // header = <02 00>
 * chunks$.pipe(framing.decode()).subscribe((frame) => console.log(frame.length));
 * ```
 */
export function lengthPrefix(options: LengthPrefixOptions = {}): Framing {
  return prefixFraming('length-prefix', {
    magic: Buffer.alloc(0),
    lengthBytes: options.lengthBytes,
    endian: options.endian,
    lengthIncludesHeader: options.lengthIncludesHeader,
    checksum: false,
    maxFrameBytes: options.maxFrameBytes,
    resync: false,
    onResync: undefined,
  });
}
