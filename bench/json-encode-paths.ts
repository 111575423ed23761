/**
 * The two ways of putting one JSON message into a connection's 64 KiB write batch that the
 * json-encode suite compares, as batch writers that behave like the FrameWriter's small-frame path
 * (a frame that does not fit in the rest of the batch starts a new one). Both write the same bytes:
 * a u32be length, then the UTF-8 JSON text. The spec `spec/bench/json-encode-paths.spec.ts` checks
 * that they do, batch by batch.
 */
import type { Codec, Framing } from '../lib/index';

/** Size of one write batch, as the connection's pool hands them out. */
export const BATCH_BYTES = 64 * 1024;

/** Frames over 16 KiB go to the socket as their own parts, not through a batch: not measured here. */
const TOO_LARGE = 'frame larger than a batch';

/** Receives each batch once it is full (or at `finish`), as the writer would hand it to the socket. */
export type BatchSink = (batch: Buffer) => void;

/** Writes JSON values one by one into 64 KiB batches. */
export interface BatchWriter {
  write(value: unknown): void;
  /** Hands over the batch in progress, if it holds anything. */
  finish(): void;
}

/** Takes batches from a small fixed ring, so no variant pays for allocating them. */
class BatchRing {
  private readonly ring: Buffer[];
  private next = 0;

  constructor(size: number) {
    this.ring = Array.from({ length: size }, () => Buffer.alloc(BATCH_BYTES));
  }

  take(): Buffer {
    const batch = this.ring[this.next] as Buffer;
    this.next = (this.next + 1) % this.ring.length;
    return batch;
  }
}

/**
 * Today's path: the json codec's `encode` (stringify, then `Buffer.from`), then the framing's
 * `encodeInto`, which copies the payload into the batch after its length.
 */
export function libraryPathWriter(codec: Codec<unknown>, framing: Framing, sink: BatchSink): BatchWriter {
  const ring = new BatchRing(4);
  const overhead = framing.overheadBytes;
  let batch = ring.take();
  let used = 0;
  return {
    write(value) {
      const payload = codec.encode(value);
      if (overhead + payload.byteLength > BATCH_BYTES) throw new RangeError(TOO_LARGE);
      if (BATCH_BYTES - used < overhead + payload.byteLength) {
        sink(batch.subarray(0, used));
        batch = ring.take();
        used = 0;
      }
      used = framing.encodeInto(payload, batch, used);
    },
    finish() {
      if (used > 0) sink(batch.subarray(0, used));
      used = 0;
    },
  };
}

/** Node's `utf8Write` (what `buf.write(text, offset, length, 'utf8')` calls), not in the typings. */
interface Utf8Writable {
  utf8Write(text: string, offset: number, length: number): number;
}

/** How the direct writer puts the text into the batch. */
export type DirectMethod = 'write' | 'utf8Write';

/**
 * The direct path: `JSON.stringify`, then the text encoded straight into the batch four bytes on,
 * and the length written before it from the count of bytes written. When the rest of the batch
 * may be too small (less than `text.length * 3` bytes, the most UTF-8 can take for a JS string),
 * the exact length is counted first (`Buffer.byteLength`, no allocation) to choose between this
 * batch and a new one. Same limits as the library: the codec's `maxFrameBytes` and the framing's.
 */
export function directPathWriter(maxFrameBytes: number, method: DirectMethod, sink: BatchSink): BatchWriter {
  const ring = new BatchRing(4);
  let batch = ring.take();
  let used = 0;
  const put =
    method === 'write'
      ? (text: string, at: number): number => batch.write(text, at, BATCH_BYTES - at, 'utf8')
      : (text: string, at: number): number => (batch as Buffer & Utf8Writable).utf8Write(text, at, BATCH_BYTES - at);
  return {
    write(value) {
      const text: string | undefined = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`${typeof value} has no JSON representation`);
      if (BATCH_BYTES - used < 4 + text.length * 3) {
        const exact = Buffer.byteLength(text, 'utf8');
        if (4 + exact > BATCH_BYTES) throw new RangeError(TOO_LARGE);
        if (BATCH_BYTES - used < 4 + exact) {
          sink(batch.subarray(0, used));
          batch = ring.take();
          used = 0;
        }
      }
      const written = put(text, used + 4);
      if (written > maxFrameBytes) throw new RangeError(`frame of ${written} bytes over the limit of ${maxFrameBytes}`);
      batch.writeUInt32BE(written, used);
      used += 4 + written;
    },
    finish() {
      if (used > 0) sink(batch.subarray(0, used));
      used = 0;
    },
  };
}
