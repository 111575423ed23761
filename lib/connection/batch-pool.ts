import { WRITE_BATCH_BYTES } from '../constants';

/** Free batch buffers kept for reuse, process-wide: at most this many (64 x 64 KiB = 4 MiB). */
const MAX_POOLED = 64;
const pool: Buffer[] = [];

/**
 * A 64 KiB buffer that small outgoing frames are encoded into: a pooled one when there is one.
 * Writers give it back with {@link releaseBatch} once every byte written from it is confirmed, so
 * an idle connection holds no batch buffer at all.
 */
export function acquireBatch(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(WRITE_BATCH_BYTES);
}

/** Gives a batch buffer back for reuse; nothing may still read it. */
export function releaseBatch(batch: Buffer): void {
  if (pool.length < MAX_POOLED) pool.push(batch);
}
