import { InvalidOptionError, FrameTooLargeError } from '../errors';
import { writeUint, uintMax } from '../internal/bytes';
import { defineFraming, type Framing } from './framing';
import { crc32 } from 'node:zlib';
import { PrefixedFrameDecoder, type PrefixLayout } from './prefixed-frame-decoder';
import { DEFAULT_MAX_FRAME_BYTES } from '../constants';
import { writeTextPayload } from './text-payload-into';

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
  /** Checks a payload size against the limit and writes the magic and length into `target` at `at`. */
  function writeLength(target: Buffer, at: number, size: number): void {
    if (size > maxFrameBytes) throw new FrameTooLargeError(size, maxFrameBytes);
    layout.magic.copy(target, at);
    writeUint(target, includes ? size + headerBytes : size, at + magicLength, lengthBytes, layout.littleEndian);
  }
  /** Checks the payload against the limit and writes its header into `target` at `at`. */
  function writeHeader(target: Buffer, at: number, payload: Uint8Array): void {
    writeLength(target, at, payload.byteLength);
    if (layout.checksum) writeCrc(target, at, payload);
  }
  function writeCrc(target: Buffer, at: number, payload: Uint8Array): void {
    const crc = crc32(payload);
    if (layout.littleEndian) target.writeUInt32LE(crc, at + magicLength + lengthBytes);
    else target.writeUInt32BE(crc, at + magicLength + lengthBytes);
  }
  return defineFraming({
    name: `${kind}(${magicLength > 0 ? `${layout.magic.toString('hex')}+` : ''}${fieldName}${layout.checksum ? '+crc32' : ''})`,
    maxFrameBytes,
    overheadBytes: headerBytes,
    createDecoder: () => new PrefixedFrameDecoder(layout),
    encodeFrame(payload) {
      const header = Buffer.allocUnsafe(headerBytes);
      writeHeader(header, 0, payload);
      return [header, payload];
    },
    encodeInto:
      magicLength === 0 && lengthBytes === 4 && !layout.checksum && !includes
        ? // The commonest layout (a bare u32 length) without the general header path: it runs per message.
          (payload, target, offset) => {
            const size = payload.byteLength;
            if (size > maxFrameBytes) throw new FrameTooLargeError(size, maxFrameBytes);
            if (layout.littleEndian) target.writeUInt32LE(size, offset);
            else target.writeUInt32BE(size, offset);
            target.set(payload, offset + 4);
            return offset + 4 + size;
          }
        : (payload, target, offset) => {
            writeHeader(target, offset, payload);
            target.set(payload, offset + headerBytes);
            return offset + headerBytes + payload.byteLength;
          },
    encodeTextInto(text, target, offset, end) {
      const start = offset + headerBytes;
      const size = writeTextPayload(text, target, start, end, maxFrameBytes);
      if (size < 0) return -1;
      writeLength(target, offset, size);
      if (layout.checksum) writeCrc(target, offset, target.subarray(start, start + size));
      return start + size;
    },
  });
}
