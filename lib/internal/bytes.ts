/** Byte helpers shared by framings and codecs. Internal: not exported from the package. */

/** A Buffer view of `bytes` without copying (or `bytes` itself when it already is a Buffer). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes given as a string (UTF-8), a single byte value, or bytes, as a fresh Buffer. */
export function toBytes(value: string | number | Uint8Array): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number') return Buffer.from([value]);
  return Buffer.from(value);
}

/** Reads an unsigned integer of `width` bytes (1, 2, 4 or 8) at `offset`. */
export function readUint(buf: Buffer, offset: number, width: number, littleEndian: boolean): number {
  switch (width) {
    case 1:
      return buf[offset] as number;
    case 2:
      return littleEndian ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
    case 4:
      return littleEndian ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
    default: {
      // 8 bytes: exact up to 2^53; anything larger still compares greater than any limit.
      const hi = littleEndian ? buf.readUInt32LE(offset + 4) : buf.readUInt32BE(offset);
      const lo = littleEndian ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset + 4);
      return hi * 0x1_0000_0000 + lo;
    }
  }
}

/** Writes `value` as an unsigned integer of `width` bytes (1, 2, 4 or 8) at `offset`. */
export function writeUint(buf: Buffer, value: number, offset: number, width: number, littleEndian: boolean): void {
  switch (width) {
    case 1:
      buf[offset] = value;
      return;
    case 2:
      if (littleEndian) buf.writeUInt16LE(value, offset);
      else buf.writeUInt16BE(value, offset);
      return;
    case 4:
      if (littleEndian) buf.writeUInt32LE(value, offset);
      else buf.writeUInt32BE(value, offset);
      return;
    default: {
      const hi = Math.floor(value / 0x1_0000_0000);
      const lo = value >>> 0;
      if (littleEndian) {
        buf.writeUInt32LE(lo, offset);
        buf.writeUInt32LE(hi, offset + 4);
      } else {
        buf.writeUInt32BE(hi, offset);
        buf.writeUInt32BE(lo, offset + 4);
      }
    }
  }
}

/** Largest value an unsigned field of `width` bytes holds (capped at 2^53 - 1). */
export function uintMax(width: number): number {
  return width >= 7 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * width) - 1;
}
