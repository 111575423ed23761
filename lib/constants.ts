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
 * Largest JSON text the `json()` codec decodes or encodes by default: 1 MiB. Parsing blocks the
 * event loop, every client's, for the whole frame: measured on the 2-core development machine, a
 * flat object of many short keys (the worst shape) parses at 12 to 21 MB/s: 44 ms for 1 MiB,
 * 212 ms for 4 MiB, 1.2 s for 16 MiB; an array of small objects takes 12 ms for 1 MiB, 340 ms for
 * 16 MiB (`npm run bench -- json`).
 *
 * @example
 * ```ts
 * json({ maxFrameBytes: 4 * DEFAULT_JSON_MAX_FRAME_BYTES }); // accept 4 MiB documents
 * ```
 */
export const DEFAULT_JSON_MAX_FRAME_BYTES = 1024 * 1024;

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
 * Incoming bytes a connection reads ahead and holds while nobody is subscribed to its `messages$`:
 * 64 KiB, so that a connection that only writes still sees its peer's end or a reset.
 *
 * @example
 * ```ts
 * connect({ port, maxHeldBytes: 16 * DEFAULT_MAX_HELD_BYTES });
 * ```
 */
export const DEFAULT_MAX_HELD_BYTES = 64 * 1024;

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
 * WebSocket connections send a ping after this many milliseconds without one: 30 s.
 *
 * @example
 * ```ts
 * listenWebSocket({ port, heartbeat: { interval: DEFAULT_PING_INTERVAL / 3 } });
 * ```
 */
export const DEFAULT_PING_INTERVAL = 30_000;

/**
 * A WebSocket peer that has not answered a ping within this many milliseconds is taken for dead
 * and its connection fails with HeartbeatTimeoutError: 10 s.
 *
 * @example
 * ```ts
 * listenWebSocket({ port, heartbeat: { timeout: 2 * DEFAULT_PONG_TIMEOUT } });
 * ```
 */
export const DEFAULT_PONG_TIMEOUT = 10_000;

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

/**
 * First capacity of the buffer a decoder collects a frame into when it arrives in pieces: 4 KiB
 * (or the frame's size, if smaller). The buffer doubles as bytes arrive, never past the frame's
 * declared size (or `maxFrameBytes`), so memory follows what a peer has sent, not what it announced.
 */
export const PARTIAL_FRAME_FIRST_BYTES = 4 * 1024;

/**
 * Servers that keep clients waiting (`singleClient`, `whenFull: 'queue'`) close a connection idle
 * for this many milliseconds unless told otherwise: 30 s. One silent client must not hold the
 * line forever.
 *
 * @example
 * ```ts
 * listen({ port, singleClient: true, idleTimeout: 4 * DEFAULT_QUEUE_IDLE_TIMEOUT });
 * ```
 */
export const DEFAULT_QUEUE_IDLE_TIMEOUT = 30_000;

/**
 * Milliseconds a client may wait for its turn (`singleClient`, `whenFull: 'queue'`) before the
 * server drops it: 60 s.
 *
 * @example
 * ```ts
 * listen({ port, singleClient: true, waitTimeout: DEFAULT_WAIT_TIMEOUT / 6 });
 * ```
 */
export const DEFAULT_WAIT_TIMEOUT = 60_000;

/**
 * Milliseconds a TLS client has, from accept, to complete its handshake: 10 s.
 *
 * @example
 * ```ts
 * listen({ port, tls: { key, cert }, handshakeTimeout: DEFAULT_HANDSHAKE_TIMEOUT / 2 });
 * ```
 */
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000;

/**
 * Where `connect` goes and `listen` binds when no `host` is given: IPv4 loopback, so the two
 * defaults meet (`'localhost'` may resolve to `::1` first, where a default server is not).
 *
 * @example
 * ```ts
 * listen({ port: 7000 }); connect({ port: 7000 }); // both on DEFAULT_HOST
 * ```
 */
export const DEFAULT_HOST = '127.0.0.1';

/** Size of the buffers small outgoing frames are batched into: 64 KiB. */
export const WRITE_BATCH_BYTES = 64 * 1024;
