/**
 * The error hierarchy of rxsocket: one base class, one stable `code` per subclass, and the facts
 * of each failure as fields. Node system errors (`ECONNREFUSED`, `ECONNRESET`, ...) are never
 * wrapped: they reach subscribers as Node created them.
 */

/** Every error code rxsocket itself produces. Codes are stable and never reused. */
export type RxSocketErrorCode =
  | 'RXSOCKET_ERR_INVALID_OPTION'
  | 'RXSOCKET_ERR_FRAME_TOO_LARGE'
  | 'RXSOCKET_ERR_BAD_LENGTH'
  | 'RXSOCKET_ERR_BAD_MAGIC'
  | 'RXSOCKET_ERR_CHECKSUM_MISMATCH'
  | 'RXSOCKET_ERR_UNEXPECTED_END'
  | 'RXSOCKET_ERR_DELIMITER_IN_PAYLOAD'
  | 'RXSOCKET_ERR_DECODE'
  | 'RXSOCKET_ERR_ENCODE'
  | 'RXSOCKET_ERR_STALL_TIMEOUT'
  | 'RXSOCKET_ERR_IDLE_TIMEOUT'
  | 'RXSOCKET_ERR_CONNECT_TIMEOUT'
  | 'RXSOCKET_ERR_QUEUE_OVERFLOW'
  | 'RXSOCKET_ERR_HANDLER'
  | 'RXSOCKET_ERR_REQUEST_TIMEOUT'
  | 'RXSOCKET_ERR_CONNECTION_LOST'
  | 'RXSOCKET_ERR_BUFFER_OVERFLOW'
  | 'RXSOCKET_ERR_HEARTBEAT_TIMEOUT'
  | 'RXSOCKET_ERR_RECONNECT_FAILED';

/**
 * Base class of every error rxsocket creates. Test `code` (stable) rather than `message`.
 *
 * @example
 * ```ts
 * frames$.subscribe({ error: (e) => { if (e instanceof RxSocketError) console.log(e.code); } });
 * ```
 */
export class RxSocketError extends Error {
  readonly code: RxSocketErrorCode;

  constructor(code: RxSocketErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * An option has a value the library cannot work with. Thrown synchronously by the factory that
 * received it (a programming error, never a runtime condition).
 *
 * @example
 * ```ts
 * lengthPrefix({ lengthBytes: 3 as 4 }); // throws InvalidOptionError: option lengthBytes must be 1, 2, 4 or 8
 * ```
 */
export class InvalidOptionError extends RxSocketError {
  constructor(
    /** Name of the offending option. */
    readonly option: string,
    /** The value it was given. */
    readonly value: unknown,
    /** What the option accepts. */
    readonly expected: string,
  ) {
    super('RXSOCKET_ERR_INVALID_OPTION', `option ${option} must be ${expected}, got ${String(value)}`);
  }
}

/**
 * A frame is larger than `maxFrameBytes`. Raised the moment the size is known, before any of the
 * payload is buffered; for delimiter framing, as soon as the unterminated data passes the limit
 * (then `declared` is the number of bytes seen so far without a delimiter). Also raised by
 * encoders, which enforce the same limit.
 *
 * @example
 * ```ts
 * if (error instanceof FrameTooLargeError) console.warn(`peer declared ${error.declared} bytes, limit ${error.max}`);
 * ```
 */
export class FrameTooLargeError extends RxSocketError {
  constructor(
    /** The declared (or, for delimiters, already received) payload size in bytes. */
    readonly declared: number,
    /** The configured maximum. */
    readonly max: number,
  ) {
    super('RXSOCKET_ERR_FRAME_TOO_LARGE', `frame of ${declared} bytes exceeds maxFrameBytes ${max}`);
  }
}

/**
 * A length field that counts its own header declares fewer bytes than the header itself.
 *
 * @example
 * ```ts
 * if (error instanceof BadLengthError) console.warn(`length ${error.declared} < header ${error.min}`);
 * ```
 */
export class BadLengthError extends RxSocketError {
  constructor(
    /** The declared length. */
    readonly declared: number,
    /** The smallest valid length (the header size). */
    readonly min: number,
  ) {
    super('RXSOCKET_ERR_BAD_LENGTH', `declared length ${declared} is less than the header size ${min}`);
  }
}

/**
 * The bytes where a header-prefix frame must start are not the configured magic.
 *
 * @example
 * ```ts
 * if (error instanceof BadMagicError) console.warn(`got ${Buffer.from(error.got).toString('hex')}`);
 * ```
 */
export class BadMagicError extends RxSocketError {
  constructor(
    /** The bytes found where the magic was expected (up to the magic's length). */
    readonly got: Uint8Array,
    /** The configured magic. */
    readonly expected: Uint8Array,
  ) {
    super('RXSOCKET_ERR_BAD_MAGIC', `bad magic: expected ${hex(expected)}, got ${hex(got)}`);
  }
}

/**
 * The CRC-32 carried in a frame header does not match the CRC-32 of its payload.
 *
 * @example
 * ```ts
 * if (error instanceof ChecksumMismatchError) console.warn(error.expected, error.actual);
 * ```
 */
export class ChecksumMismatchError extends RxSocketError {
  constructor(
    /** The checksum the header declared. */
    readonly expected: number,
    /** The checksum computed over the received payload. */
    readonly actual: number,
  ) {
    super(
      'RXSOCKET_ERR_CHECKSUM_MISMATCH',
      `checksum mismatch: header says ${expected.toString(16).padStart(8, '0')}, payload has ${actual.toString(16).padStart(8, '0')}`,
    );
  }
}

/**
 * The input ended in the middle of a frame.
 *
 * @example
 * ```ts
 * if (error instanceof UnexpectedEndError) console.warn(`cut off at ${error.have} of ${error.need} bytes`);
 * ```
 */
export class UnexpectedEndError extends RxSocketError {
  constructor(
    /** Bytes of the unfinished frame received (header included). */
    readonly have: number,
    /** Bytes the frame needs in total (header included); for delimiters, the least it could need. */
    readonly need: number,
  ) {
    super('RXSOCKET_ERR_UNEXPECTED_END', `input ended mid-frame: have ${have} of ${need} bytes`);
  }
}

/**
 * A payload given to a delimiter encoder contains the delimiter, so it cannot be framed.
 *
 * @example
 * ```ts
 * delimiter().encodeFrame(Buffer.from('a\nb')); // throws DelimiterInPayloadError, offset 1
 * ```
 */
export class DelimiterInPayloadError extends RxSocketError {
  constructor(
    /** Offset of the first delimiter inside the payload. */
    readonly offset: number,
  ) {
    super('RXSOCKET_ERR_DELIMITER_IN_PAYLOAD', `payload contains the delimiter at offset ${offset}`);
  }
}

/**
 * A codec could not turn a frame into a value (invalid UTF-8, invalid JSON, ...).
 *
 * @example
 * ```ts
 * if (error instanceof DecodeError) console.warn(`bad frame of ${error.frameBytes} bytes`, error.cause);
 * ```
 */
export class DecodeError extends RxSocketError {
  constructor(
    /** Size of the frame that failed, in bytes. */
    readonly frameBytes: number,
    cause: unknown,
  ) {
    super('RXSOCKET_ERR_DECODE', `cannot decode frame of ${frameBytes} bytes: ${describe(cause)}`, { cause });
  }
}

/**
 * A codec could not turn a value into bytes (for JSON: `undefined`, a function, a BigInt, a cycle).
 *
 * @example
 * ```ts
 * if (error instanceof EncodeError) console.warn('cannot encode', error.cause);
 * ```
 */
export class EncodeError extends RxSocketError {
  constructor(cause: unknown) {
    super('RXSOCKET_ERR_ENCODE', `cannot encode message: ${describe(cause)}`, { cause });
  }
}

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
 * A request got no final reply within its `timeout`.
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
  ) {
    super('RXSOCKET_ERR_REQUEST_TIMEOUT', `no reply within ${timeout} ms`);
  }
}

/**
 * The connection a request (or a buffered message) depended on ended. `cause` says why: the
 * connection's own error, or undefined when the peer closed cleanly.
 *
 * @example
 * ```ts
 * if (error instanceof ConnectionLostError) console.warn('connection lost', error.cause);
 * ```
 */
export class ConnectionLostError extends RxSocketError {
  constructor(cause: unknown) {
    super(
      'RXSOCKET_ERR_CONNECTION_LOST',
      cause === undefined ? 'connection closed by the peer' : `connection lost: ${describe(cause)}`,
      { cause },
    );
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

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
