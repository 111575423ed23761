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
  | 'RXSOCKET_ERR_BAD_VARINT'
  | 'RXSOCKET_ERR_VALIDATION'
  | 'RXSOCKET_ERR_DECODE'
  | 'RXSOCKET_ERR_ENCODE'
  | 'RXSOCKET_ERR_STALL_TIMEOUT'
  | 'RXSOCKET_ERR_IDLE_TIMEOUT'
  | 'RXSOCKET_ERR_CONNECT_TIMEOUT'
  | 'RXSOCKET_ERR_QUEUE_OVERFLOW'
  | 'RXSOCKET_ERR_SOCKET_PATH_TOO_LONG'
  | 'RXSOCKET_ERR_HANDLER'
  | 'RXSOCKET_ERR_REQUEST_TIMEOUT'
  | 'RXSOCKET_ERR_CONNECTION_LOST'
  | 'RXSOCKET_ERR_BUFFER_OVERFLOW'
  | 'RXSOCKET_ERR_HEARTBEAT_TIMEOUT'
  | 'RXSOCKET_ERR_RECONNECT_FAILED'
  | 'RXSOCKET_ERR_WEBSOCKET_REFUSED'
  | 'RXSOCKET_ERR_WEBSOCKET_CLOSED'
  | 'RXSOCKET_ERR_NO_RESPONDERS'
  | 'RXSOCKET_ERR_JSOCKD_PROTOCOL'
  | 'RXSOCKET_ERR_JSOCKD_EXCEPTION'
  | 'RXSOCKET_ERR_JSOCKD_START_TIMEOUT'
  | 'RXSOCKET_ERR_JSOCKD_VERSION';

/**
 * Base class of every error rxsocket creates. Test `code` (stable) rather than `message`.
 *
 * @example
 * ```ts
 * frames$.subscribe({ error: (e) => { if (e instanceof RxSocketError) console.log(e.code); } });
 * ```
 */
export class RxSocketError extends Error {
  /** The stable code of this kind of failure (`RXSOCKET_ERR_...`), listed in README's error table. */
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

/** The message of a cause, for error messages. */
export function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
