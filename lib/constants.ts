/**
 * Finite defaults for every limit in rxsocket, in one place.
 *
 * Each option that bounds memory or time falls back to one of these values, so a connection's
 * memory stays bounded even when the user configures nothing.
 */

/**
 * Largest frame payload a framing accepts or produces by default: 16 MiB.
 *
 * @example
 * ```ts
 * lengthPrefix({ maxFrameBytes: 4 * DEFAULT_MAX_FRAME_BYTES }); // allow 64 MiB frames
 * ```
 */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * jsocket v2 refuses messages over 10 MiB, on send and on receive.
 *
 * @example
 * ```ts
 * if (payload.byteLength > JSOCKET_V2_MAX_FRAME_BYTES) splitIt(payload);
 * ```
 */
export const JSOCKET_V2_MAX_FRAME_BYTES = 10 * 1024 * 1024;

/**
 * Outgoing bytes a connection queues while its peer reads slowly: 32 MiB (two largest frames).
 *
 * @example
 * ```ts
 * listen({ port, maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES / 4 });
 * ```
 */
export const DEFAULT_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * A partial frame must complete within this many milliseconds: 30 s.
 *
 * @example
 * ```ts
 * connect({ port, stallTimeout: 2 * DEFAULT_STALL_TIMEOUT });
 * ```
 */
export const DEFAULT_STALL_TIMEOUT = 30_000;

/**
 * After a graceful close, a socket that has not closed within this many milliseconds is destroyed: 5 s.
 *
 * @example
 * ```ts
 * listen({ port, closeTimeout: DEFAULT_CLOSE_TIMEOUT / 5 });
 * ```
 */
export const DEFAULT_CLOSE_TIMEOUT = 5_000;

/**
 * Clients a full server keeps waiting (policy `'queue'`) before it refuses more: 128.
 *
 * @example
 * ```ts
 * listen({ port, singleClient: true, maxWaiting: 2 * DEFAULT_MAX_WAITING });
 * ```
 */
export const DEFAULT_MAX_WAITING = 128;

/** Size of the buffers small outgoing frames are batched into: 64 KiB. */
export const WRITE_BATCH_BYTES = 64 * 1024;
