/** Errors of conversations: handlers, requests, reconnecting clients. */
import { describe, RxSocketError } from './rxsocket-error';

/**
 * A user handler (a server's reply handler, or a client's answer to a question) threw or errored.
 *
 * @example
 * ```ts
 * if (error instanceof HandlerError) console.error('handler failed', error.cause);
 * ```
 */
export class HandlerError extends RxSocketError {
  constructor(cause: unknown) {
    super('RXSOCKET_ERR_HANDLER', `handler failed: ${describe(cause)}`, { cause });
  }
}

/**
 * A request got no final reply within its `timeout`. When a pool had no connection to send it on
 * during that time, `cause` is the last failure to connect.
 *
 * @example
 * ```ts
 * rpc.request(message).pipe(catchError((e) => (e instanceof RequestTimeoutError ? of(fallback) : throwError(() => e))));
 * ```
 */
export class RequestTimeoutError extends RxSocketError {
  constructor(
    /** The configured timeout, in milliseconds. */
    readonly timeout: number,
    cause?: unknown,
  ) {
    super(
      'RXSOCKET_ERR_REQUEST_TIMEOUT',
      cause === undefined ? `no reply within ${timeout} ms` : `no reply within ${timeout} ms (no connection: ${describe(cause)})`,
      cause === undefined ? undefined : { cause },
    );
  }
}

/**
 * The connection a request (or a buffered message) depended on ended. `cause` says why: always an
 * `Error` (the connection's own error; a reason given as text, such as `'client closed'`, becomes
 * an `Error` with that message) or undefined when the peer closed cleanly.
 *
 * @example
 * ```ts
 * if (error instanceof ConnectionLostError) console.warn('connection lost', error.cause);
 * ```
 */
export class ConnectionLostError extends RxSocketError {
  /** Why the connection ended, or undefined when the peer closed it cleanly. */
  declare readonly cause: Error | undefined;

  constructor(cause: unknown) {
    const error = cause === undefined || cause instanceof Error ? cause : new Error(describe(cause));
    super('RXSOCKET_ERR_CONNECTION_LOST', error === undefined ? 'connection closed by the peer' : `connection lost: ${error.message}`, {
      cause: error,
    });
  }
}

/**
 * A reconnecting client's buffer for messages sent while disconnected is full.
 *
 * @example
 * ```ts
 * client.unsent$.subscribe(({ message, error }) => error instanceof BufferOverflowError && store(message));
 * ```
 */
export class BufferOverflowError extends RxSocketError {
  constructor(
    /** Messages buffered. */
    readonly bufferedMessages: number,
    /** Bytes buffered. */
    readonly bufferedBytes: number,
  ) {
    super('RXSOCKET_ERR_BUFFER_OVERFLOW', `reconnect buffer full (${bufferedMessages} messages, ${bufferedBytes} bytes)`);
  }
}

/**
 * The peer did not answer a heartbeat within its timeout: the connection is taken for dead.
 *
 * @example
 * ```ts
 * client.state$.subscribe((s) => s.error instanceof HeartbeatTimeoutError && console.warn('peer silent'));
 * ```
 */
export class HeartbeatTimeoutError extends RxSocketError {
  constructor(
    /** The configured timeout, in milliseconds. */
    readonly timeout: number,
  ) {
    super('RXSOCKET_ERR_HEARTBEAT_TIMEOUT', `no heartbeat reply within ${timeout} ms`);
  }
}

/**
 * A reconnecting client gave up after `maxAttempts` failed attempts; `cause` is the last failure.
 *
 * @example
 * ```ts
 * client.messages$.subscribe({ error: (e) => e instanceof ReconnectFailedError && console.error(e.attempts, e.cause) });
 * ```
 */
export class ReconnectFailedError extends RxSocketError {
  constructor(
    /** Attempts made. */
    readonly attempts: number,
    cause: unknown,
  ) {
    super('RXSOCKET_ERR_RECONNECT_FAILED', `gave up after ${attempts} attempts: ${describe(cause)}`, { cause });
  }
}
