import { InvalidOptionError, FrameTooLargeError } from '../errors';
import { writeUint, uintMax } from '../internal/bytes';
import { defineFraming, type Framing } from './framing';
import { crc32 } from 'node:zlib';
import { PrefixedFrameDecoder, type PrefixLayout } from './prefixed-frame-decoder';
import { DEFAULT_MAX_FRAME_BYTES } from '../constants';

/** Byte order of a multi-byte field. */
export type Endian = 'big' | 'little';

/** Width of a length field in bytes. */
export type LengthBytes = 1 | 2 | 4 | 8;

/** The layout options before defaults; shared by length-prefix and header-prefix framing. */
export interface PrefixLayoutInput {
  magic: Buffer;
  lengthBytes: LengthBytes | undefined;
  endian: Endian | undefined;
  lengthIncludesHeader: boolean | undefined;
  checksum: boolean;
  maxFrameBytes: number | undefined;
  resync: boolean;
  onResync: ((skippedBytes: number) => void) | undefined;
}

/** Validates options, applies defaults and builds the framing. Internal to the two factories. */
export function prefixFraming(kind: string, input: PrefixLayoutInput): Framing {
  const lengthBytes = input.lengthBytes ?? 4;
  if (![1, 2, 4, 8].includes(lengthBytes)) throw new InvalidOptionError('lengthBytes', lengthBytes, '1, 2, 4 or 8');
  const endian = input.endian ?? 'big';
  if (endian !== 'big' && endian !== 'little') throw new InvalidOptionError('endian', endian, "'big' or 'little'");
  const includes = input.lengthIncludesHeader ?? false;
  const headerBytes = input.magic.length + lengthBytes + (input.checksum ? 4 : 0);
  const capacity = uintMax(lengthBytes) - (includes ? headerBytes : 0);
  const maxFrameBytes = input.maxFrameBytes ?? Math.min(DEFAULT_MAX_FRAME_BYTES, capacity);
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > capacity) {
    throw new InvalidOptionError('maxFrameBytes', maxFrameBytes, `an integer from 0 to ${capacity} for this length field`);
  }
  const layout: PrefixLayout = {
    magic: input.magic,
    lengthBytes,
    checksum: input.checksum,
    littleEndian: endian === 'little',
    lengthIncludesHeader: includes,
    maxFrameBytes,
    resync: input.resync,
    onResync: input.onResync,
  };
  const magicLength = layout.magic.length;
  const fieldName = `u${lengthBytes * 8}${endian === 'big' ? 'be' : 'le'}`;
  return defineFraming({
    name: `${kind}(${magicLength > 0 ? `${layout.magic.toString('hex')}+` : ''}${fieldName}${layout.checksum ? '+crc32' : ''})`,
    maxFrameBytes,
    createDecoder: () => new PrefixedFrameDecoder(layout),
    encodeFrame(payload) {
      const size = payload.byteLength;
      if (size > maxFrameBytes) throw new FrameTooLargeError(size, maxFrameBytes);
      const header = Buffer.allocUnsafe(headerBytes);
      layout.magic.copy(header, 0);
      writeUint(header, includes ? size + headerBytes : size, magicLength, lengthBytes, layout.littleEndian);
      if (layout.checksum) {
        const crc = crc32(payload);
        if (layout.littleEndian) header.writeUInt32LE(crc, magicLength + lengthBytes);
        else header.writeUInt32BE(crc, magicLength + lengthBytes);
      }
      return [header, payload];
    },
  });
}
