/**
 * Finite defaults for every limit in rxsocket, in one place.
 *
 * Each option that bounds memory or time falls back to one of these values, so a connection's
 * memory stays bounded even when the user configures nothing.
 */

/** Largest frame payload a framing accepts or produces by default: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** jsocket v2 refuses messages over 10 MiB, on send and on receive. */
export const JSOCKET_V2_MAX_FRAME_BYTES = 10 * 1024 * 1024;

/** Outgoing bytes a connection queues while its peer reads slowly: 32 MiB (two largest frames). */
export const DEFAULT_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/** A partial frame must complete within this many milliseconds: 30 s. */
export const DEFAULT_STALL_TIMEOUT = 30_000;

/** After a graceful close, a socket that has not closed within this many milliseconds is destroyed: 5 s. */
export const DEFAULT_CLOSE_TIMEOUT = 5_000;

/** Clients a full server keeps waiting (policy `'queue'`) before it refuses more: 128. */
export const DEFAULT_MAX_WAITING = 128;

/** Size of the buffers small outgoing frames are batched into: 64 KiB. */
export const WRITE_BATCH_BYTES = 64 * 1024;
