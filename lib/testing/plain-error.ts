import { types } from 'node:util';

/**
 * The parts of an error a test compares: Jest compares errors by message alone.
 *
 * @example
 * ```ts
 * const reset: PlainError = { name: 'Error', code: 'ECONNRESET', message: 'read ECONNRESET' };
 * ```
 */
export interface PlainError {
  /** The error's `name` (`'Error'`, `'StallTimeoutError'`, ...), or the `typeof` of a thrown non-error. */
  name: string;
  /** Its `code` when it has a string one (`'ECONNRESET'`, `'RXSOCKET_ERR_...'`). */
  code: string | undefined;
  /** Its message. */
  message: string;
}

/**
 * Whether `value` is an Error, including one from another realm (Node's own errors under Jest's VM).
 *
 * @example
 * ```ts
 * isError(new StallTimeoutError(1, 1)); // true
 * ```
 */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/**
 * Normalises an error to `{ name, code, message }`, so marble assertions and `toEqual` compare
 * the error's type and code, not only its message.
 *
 * @example
 * ```ts
 * expectObservable(frames$.pipe(catchError((e) => of(plainError(e))))).toBe('(e|)', {
 *   e: { name: 'FrameTooLargeError', code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', message: expect.any(String) },
 * });
 * ```
 */
export function plainError(error: unknown): PlainError {
  if (!isError(error)) return { name: typeof error, code: undefined, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, code: typeof code === 'string' ? code : undefined, message: error.message };
}
