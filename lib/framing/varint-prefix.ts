import { DEFAULT_MAX_FRAME_BYTES } from '../constants';
import { FrameTooLargeError, InvalidOptionError } from '../errors';
import { defineFraming, type Framing } from './framing';
import { varintLength, writeVarint } from './varint';
import { VarintFrameDecoder } from './varint-frame-decoder';

/** Options of {@link varintPrefix}. */
export interface VarintPrefixOptions {
  /** Largest payload decoded or encoded. Default 16 MiB. */
  maxFrameBytes?: number;
}

/**
 * Varint length-prefix framing: each payload follows its length as an unsigned LEB128 varint, the
 * format of protobuf's `writeDelimitedTo`/`parseDelimitedFrom` and it-length-prefixed's default.
 * The limit is checked on decode as soon as the partial length passes it, and on encode.
 *
 * @example
 * ```ts
 * const framing = varintPrefix();
 * const [header] = framing.encodeFrame(new Uint8Array(300)); // header = <ac 02>
 * chunks$.pipe(framing.decode()).subscribe((frame) => console.log(frame.length));
 * ```
 */
export function varintPrefix(options: VarintPrefixOptions = {}): Framing {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0) {
    throw new InvalidOptionError('maxFrameBytes', maxFrameBytes, 'a non-negative integer');
  }
  const check = (payload: Uint8Array): number => {
    const size = payload.byteLength;
    if (size > maxFrameBytes) throw new FrameTooLargeError(size, maxFrameBytes);
    return size;
  };
  return defineFraming({
    name: 'varint-prefix',
    maxFrameBytes,
    // The most a frame adds: the varint of the largest payload (writers reserve this much room).
    overheadBytes: varintLength(maxFrameBytes),
    createDecoder: () => new VarintFrameDecoder(maxFrameBytes),
    encodeFrame(payload) {
      const size = check(payload);
      const header = Buffer.allocUnsafe(varintLength(size));
      writeVarint(size, header, 0);
      return [header, payload];
    },
    encodeInto(payload, target, offset) {
      const at = writeVarint(check(payload), target, offset);
      target.set(payload, at);
      return at + payload.byteLength;
    },
  });
}
