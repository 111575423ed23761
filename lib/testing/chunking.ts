/**
 * Re-chunking helpers: the same bytes cut differently, to prove a decoder does not depend on how
 * the network happened to split them.
 */

/**
 * Concatenates byte arrays into one Uint8Array (a test helper; never used on a hot path).
 *
 * @example
 * ```ts
 * joinBytes(framing.encodeFrame(payload)); // the frame's wire bytes in one array
 * ```
 */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Cuts `bytes` into chunks of the given sizes, cycling through `sizes` until the bytes run out.
 *
 * @example
 * ```ts
 * rechunk(Uint8Array.of(1, 2, 3, 4, 5), [2]); // [<1 2>, <3 4>, <5>]
 * rechunk(bytes, [1]);                       // one byte at a time
 * ```
 */
export function rechunk(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  if (sizes.length === 0 || sizes.some((s) => !(s >= 1))) throw new RangeError('chunk sizes must be >= 1');
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let k = 0; offset < bytes.byteLength; k++) {
    const size = sizes[k % sizes.length] as number;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/**
 * Every way to cut `bytes` in two: `[bytes[0, k), bytes[k, n)]` for k = 0 .. n.
 *
 * @example
 * ```ts
 * for (const chunks of splitsAtEveryOffset(wire)) expect(decodeAll(chunks)).toEqual(frames);
 * ```
 */
export function* splitsAtEveryOffset(bytes: Uint8Array): Generator<Uint8Array[]> {
  for (let k = 0; k <= bytes.byteLength; k++) yield [bytes.subarray(0, k), bytes.subarray(k)];
}
