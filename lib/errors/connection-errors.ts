/** Errors of connections: timeouts and outgoing queue limits. */
import { RxSocketError } from './rxsocket-error';

/**
 * A partial frame was not completed within `stallTimeout`; the connection is closed.
 *
 * @example
 * ```ts
 * if (error instanceof StallTimeoutError) console.warn(`stalled with ${error.bufferedBytes} bytes`);
 * ```
 */
export class StallTimeoutError extends RxSocketError {
  constructor(
    /** The configured stall timeout, in milliseconds. */
    readonly timeout: number,
    /** Bytes of the unfinished frame received so far. */
    readonly bufferedBytes: number,
  ) {
    super('RXSOCKET_ERR_STALL_TIMEOUT', `partial frame (${bufferedBytes} bytes) not completed within ${timeout} ms`);
  }
}

/**
 * Nothing was received or sent for `idleTimeout`; the connection is closed.
 *
 * @example
 * ```ts
 * if (error instanceof IdleTimeoutError) console.warn(`idle for ${error.timeout} ms`);
 * ```
 */
export class IdleTimeoutError extends RxSocketError {
  constructor(
    /** The configured idle timeout, in milliseconds. */
    readonly timeout: number,
  ) {
    super('RXSOCKET_ERR_IDLE_TIMEOUT', `connection idle for ${timeout} ms`);
  }
}

/**
 * A connection attempt did not complete (TCP, and TLS handshake) within `connectTimeout`.
 *
 * @example
 * ```ts
 * connect({ port, connectTimeout: 2_000 }).subscribe({ error: (e) => e instanceof ConnectTimeoutError && retryLater() });
 * ```
 */
export class ConnectTimeoutError extends RxSocketError {
  constructor(
    /** The configured connect timeout, in milliseconds. */
    readonly timeout: number,
  ) {
    super('RXSOCKET_ERR_CONNECT_TIMEOUT', `connection not established within ${timeout} ms`);
  }
}

/**
 * Outgoing messages waiting for a slow peer passed `maxQueuedBytes`; the connection is closed
 * rather than growing memory without bound or dropping messages silently.
 *
 * @example
 * ```ts
 * if (error instanceof QueueOverflowError) console.warn(`peer too slow: ${error.queuedBytes} bytes queued`);
 * ```
 */
export class QueueOverflowError extends RxSocketError {
  constructor(
    /** Bytes that would have been queued. */
    readonly queuedBytes: number,
    /** The configured maximum. */
    readonly max: number,
  ) {
    super('RXSOCKET_ERR_QUEUE_OVERFLOW', `outgoing queue of ${queuedBytes} bytes exceeds maxQueuedBytes ${max}`);
  }
}

/**
 * A Unix domain socket path is longer than the platform allows (107 bytes on Linux, 103 on macOS
 * and the BSDs, counted in UTF-8 bytes). The kernel would silently cut it, and bind or connect to
 * another path; `listen` and `connect` refuse it instead, synchronously, before opening anything.
 *
 * @example
 * ```ts
 * if (error instanceof SocketPathTooLongError) console.warn(`${error.bytes} bytes > ${error.max}: use a shorter directory`);
 * ```
 */
export class SocketPathTooLongError extends RxSocketError {
  constructor(
    /** The path refused. */
    readonly path: string,
    /** Its length in bytes (UTF-8). */
    readonly bytes: number,
    /** The platform's limit in bytes. */
    readonly max: number,
  ) {
    super('RXSOCKET_ERR_SOCKET_PATH_TOO_LONG', `Unix socket path of ${bytes} bytes exceeds the platform limit of ${max} bytes: ${path}`);
  }
}
