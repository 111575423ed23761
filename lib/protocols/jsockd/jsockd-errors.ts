/**
 * The errors of the jsockd kit. Failures that rxsocket already names keep their classes:
 * `ConnectTimeoutError` (a socket did not connect in time), `RequestTimeoutError` (a command got
 * no final reply in time), `HandlerError` (the `onMessage` handler failed), `EncodeError` /
 * `DecodeError` (a typed parameter or result is not JSON), `DelimiterInPayloadError` (a query or
 * raw JSON text holds a NUL byte), `FrameTooLargeError` (a field passes `maxMessageBytes`; a reply
 * line past it ends the client as the cause of a JsockdProtocolError), `ConnectionLostError` (the
 * client was closed). Node system errors (`ENOENT` from spawning, `ECONNREFUSED` from connecting)
 * pass through untouched.
 */
import { RxSocketError } from '../../errors';


/**
 * What went wrong with a daemon: `'ready-missing'` (stdout closed before `READY`),
 * `'ready-malformed'` (the first stdout line is not `READY <n> <version>` with 1 <= n <= sockets),
 * `'unexpected-reply'` (a reply line that is malformed, carries another id, or comes when none is
 * due), `'connection-lost'` (a socket closed or failed), `'exited'` (the process ended by itself).
 */
export type JsockdFailure = 'ready-missing' | 'ready-malformed' | 'unexpected-reply' | 'connection-lost' | 'exited';

/**
 * The daemon broke the protocol, or the transport to it failed. Fatal and sticky: every pending
 * command fails with it, later commands fail with it at once, the daemon is stopped and the
 * Observable of the client errors with it (after the clean-up).
 *
 * @example
 * ```ts
 * client.run('() => 1', null).subscribe({ error: (e) => e instanceof JsockdProtocolError && console.log(e.reason) });
 * ```
 */
export class JsockdProtocolError extends RxSocketError {
  constructor(
    /** What kind of failure it is. */
    readonly reason: JsockdFailure,
    /** The facts: the offending line, the exit status, which socket. */
    readonly detail: string,
    cause?: unknown,
  ) {
    super('RXSOCKET_ERR_JSOCKD_PROTOCOL', `jsockd ${reason}: ${detail}`, cause === undefined ? undefined : { cause });
  }
}

/**
 * The JavaScript command threw: the daemon answered `<id> exception <json>`. Not fatal: only that
 * command fails. The payload is either an object (`errorMessage`, `trace`, `raw`, `pretty`) or a
 * bare JSON string (`"error compiling command"`, `"JSON input parse error"`).
 *
 * @example
 * ```ts
 * client.run('() => { throw new Error("boom") }', null).subscribe({
 *   error: (e) => e instanceof JsockdExceptionError && console.log(e.errorMessage, e.json),
 * });
 * ```
 */
export class JsockdExceptionError extends RxSocketError {
  /** The payload decoded (the raw text itself if it is not valid JSON). */
  readonly exception: unknown;
  /** The error message: the payload's `errorMessage`, or the bare string. */
  readonly errorMessage: string;
  /** The payload's `trace` (stack frames), when it has one. */
  readonly trace: unknown;

  constructor(
    /** The exception payload, as the daemon sent it (JSON text). */
    readonly json: string,
  ) {
    const exception = parseOrKeep(json);
    const errorMessage = messageOf(exception, json);
    super('RXSOCKET_ERR_JSOCKD_EXCEPTION', `JavaScript exception: ${errorMessage}`);
    this.exception = exception;
    this.errorMessage = errorMessage;
    this.trace = isRecord(exception) ? exception.trace : undefined;
  }
}

/**
 * The daemon did not print `READY` within `startTimeout`. The process is stopped.
 *
 * @example
 * ```ts
 * jsockd({ command: 'jsockd', startTimeout: 5_000 }).subscribe({ error: (e) => e instanceof JsockdStartTimeoutError && console.log(e.timeout) });
 * ```
 */
export class JsockdStartTimeoutError extends RxSocketError {
  constructor(
    /** The configured start timeout, in milliseconds. */
    readonly timeout: number,
  ) {
    super('RXSOCKET_ERR_JSOCKD_START_TIMEOUT', `jsockd did not print READY within ${timeout} ms`);
  }
}

/**
 * The daemon's `READY` line names a version the client does not accept (`expectVersion`, by
 * default `0.1.5` or `0.0.139`; check skipped with `skipVersionCheck`). The process is stopped.
 *
 * @example
 * ```ts
 * jsockd({ command: 'jsockd' }).subscribe({ error: (e) => e instanceof JsockdVersionError && console.log(e.expected, e.actual) });
 * ```
 */
export class JsockdVersionError extends RxSocketError {
  constructor(
    /** The versions the client accepts. */
    readonly expected: readonly string[],
    /** The version the daemon announced. */
    readonly actual: string,
  ) {
    super(
      'RXSOCKET_ERR_JSOCKD_VERSION',
      `jsockd version mismatch: daemon is ${actual}, accepted ${expected.length === 1 ? 'version is' : 'versions are'} ${expected.join(', ')} (see the expectVersion and skipVersionCheck options)`,
    );
  }
}

function parseOrKeep(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messageOf(exception: unknown, json: string): string {
  if (typeof exception === 'string') return exception;
  if (isRecord(exception) && typeof exception.errorMessage === 'string') return exception.errorMessage;
  return json;
}
