/**
 * Unsigned LEB128 varints (protobuf's length-delimited format): seven bits per byte, least
 * significant group first, the high bit set on every byte but the last.
 */

/** Most bytes a varint length field may take: 10, what a 64-bit value needs (as protobuf allows). */
export const MAX_VARINT_BYTES = 10;

/** Bytes the varint of `value` takes (1 for 0..127, 2 up to 16,383, ...). */
export function varintLength(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes++;
  }
  return bytes;
}

/**
 * Writes the varint of `value` (a non-negative safe integer) into `target` at `offset` and
 * returns the offset after it. Division instead of bit shifts keeps values above 2^31 exact.
 */
export function writeVarint(value: number, target: Uint8Array, offset: number): number {
  while (value >= 0x80) {
    target[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  target[offset++] = value;
  return offset;
}
