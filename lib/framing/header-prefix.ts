import { InvalidOptionError } from '../errors';
import { toBytes } from '../internal/bytes';
import type { Framing } from './framing';
import { prefixFraming, type Endian, type LengthBytes } from './prefix-framing';

/** What a header-prefix decoder does when a frame does not start with the magic. */
export type BadMagicPolicy = 'error' | 'resync';

/** Options of {@link headerPrefix}. */
export interface HeaderPrefixOptions {
  /** Constant bytes each frame starts with (a string is taken as UTF-8). At least one byte. */
  magic: string | Uint8Array;
  /** Width of the size field that follows the magic: 1, 2, 4 or 8 bytes. Default 4. */
  lengthBytes?: LengthBytes;
  /** Byte order of the size and checksum fields. Default `'big'`. */
  endian?: Endian;
  /** The size counts the whole header (magic, size, checksum) as well as the payload. Default false. */
  lengthIncludesHeader?: boolean;
  /** `'crc32'`: a CRC-32 (zlib polynomial) of the payload follows the size field. Default `'none'`. */
  checksum?: 'none' | 'crc32';
  /** On a wrong magic: `'error'` (default) fails with BadMagicError; `'resync'` skips to the next magic. */
  badMagic?: BadMagicPolicy;
  /** @deprecated Since 0.2.0: named `badMagic` (policies are nouns; `on…` names are callbacks). Removed in 0.3.0. */
  onBadMagic?: BadMagicPolicy;
  /** With `'resync'`: told how many bytes were skipped, when the next magic is found or input ends. */
  onResync?: (skippedBytes: number) => void;
  /** Largest payload decoded or encoded. Default 16 MiB (or what the field can express). */
  maxFrameBytes?: number;
}

/**
 * Header-prefix framing: magic bytes, a fixed-width size field, an optional CRC-32 of the payload,
 * then the payload. Covers jsocket v2 (`JSN1` + u32be + crc32) and packetsocket (`#!?&` + u32le).
 *
 * @example
 * ```ts
 * const framing = headerPrefix({ magic: '#!?&', endian: 'little', badMagic: 'resync',
 *   onResync: (skipped) => console.warn(`skipped ${skipped} bytes`) });
 * chunks$.pipe(framing.decode()).subscribe((packet) => console.log(packet));
 * ```
 */
export function headerPrefix(options: HeaderPrefixOptions): Framing {
  const magic = toBytes(options.magic);
  if (magic.length === 0) throw new InvalidOptionError('magic', '', 'at least one byte');
  const policy = options.badMagic ?? options.onBadMagic ?? 'error';
  if (policy !== 'error' && policy !== 'resync') throw new InvalidOptionError('badMagic', policy, "'error' or 'resync'");
  const checksum = options.checksum ?? 'none';
  if (checksum !== 'none' && checksum !== 'crc32') throw new InvalidOptionError('checksum', checksum, "'none' or 'crc32'");
  return prefixFraming('header-prefix', {
    magic,
    lengthBytes: options.lengthBytes,
    endian: options.endian,
    lengthIncludesHeader: options.lengthIncludesHeader,
    checksum: checksum === 'crc32',
    maxFrameBytes: options.maxFrameBytes,
    resync: policy === 'resync',
    onResync: options.onResync,
  });
}
