import { isError, plainError } from './plain-error';

/**
 * An error class, such as `StallTimeoutError` or `Error`.
 *
 * @example
 * ```ts
 * const expected: ErrorClass = StallTimeoutError;
 * ```
 */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * What an expected error must have; fields left out are not compared.
 *
 * @example
 * ```ts
 * const lost: ErrorPattern = { type: ConnectionLostError, cause: { code: 'ECONNRESET' } };
 * ```
 */
export interface ErrorPattern {
  /** The class the error must be an instance of. */
  type?: ErrorClass;
  /** The error's `name`, for example `'StallTimeoutError'`. */
  name?: string;
  /** The error's `code`, for example `'RXSOCKET_ERR_STALL_TIMEOUT'` or `'ECONNRESET'`. */
  code?: string;
  /** The whole message, or a pattern it must match. */
  message?: string | RegExp;
  /** What the error's `cause` must match. */
  cause?: ErrorClass | ErrorPattern;
}

/**
 * An asymmetric matcher (Jest's and Vitest's protocol: an object with `asymmetricMatch`) that
 * accepts errors by type, `name`, `code` and `message`, where Jest's own equality compares errors
 * by message alone.
 *
 * @example
 * ```ts
 * const matcher: ErrorMatcher = typedError({ code: 'ECONNRESET' });
 * matcher.asymmetricMatch(connectionReset()); // true
 * ```
 */
export interface ErrorMatcher {
  /** Whether `actual` is an error that fits the pattern. */
  asymmetricMatch(actual: unknown): boolean;
  /** How the expectation is printed in a failed assertion. */
  toAsymmetricMatcher(): string;
  /** Same as {@link toAsymmetricMatcher}. */
  toString(): string;
  /** Marks the object as an asymmetric matcher for Jest's printer. */
  readonly $$typeof: symbol;
}

function isClass(expected: ErrorClass | ErrorPattern): expected is ErrorClass {
  return typeof expected === 'function';
}

/** JavaScript's own error classes: an error of another realm (Node's, under Jest) is matched by name. */
const builtins = new Set<ErrorClass>([Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]);

function isInstance(actual: unknown, type: ErrorClass): boolean {
  if (actual instanceof type) return true;
  if (!builtins.has(type) || !isError(actual)) return false;
  for (let proto: unknown = Object.getPrototypeOf(actual); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === type.name) return true;
  }
  return false;
}

function matches(actual: unknown, expected: ErrorClass | ErrorPattern): boolean {
  if (isClass(expected)) return isInstance(actual, expected);
  if (expected.type !== undefined && !isInstance(actual, expected.type)) return false;
  const plain = plainError(actual);
  if (expected.name !== undefined && plain.name !== expected.name) return false;
  if (expected.code !== undefined && plain.code !== expected.code) return false;
  const { message } = expected;
  if (typeof message === 'string' && plain.message !== message) return false;
  if (message instanceof RegExp && !message.test(plain.message)) return false;
  if (expected.cause !== undefined) {
    const cause = isError(actual) ? actual.cause : undefined;
    if (!matches(cause, expected.cause)) return false;
  }
  return true;
}

function describe(expected: ErrorClass | ErrorPattern): string {
  if (isClass(expected)) return expected.name;
  const fields = [
    expected.type !== undefined ? `type: ${expected.type.name}` : '',
    expected.name !== undefined ? `name: ${JSON.stringify(expected.name)}` : '',
    expected.code !== undefined ? `code: ${JSON.stringify(expected.code)}` : '',
    typeof expected.message === 'string' ? `message: ${JSON.stringify(expected.message)}` : '',
    expected.message instanceof RegExp ? `message: ${String(expected.message)}` : '',
    expected.cause !== undefined ? `cause: ${describe(expected.cause)}` : '',
  ];
  return `{ ${fields.filter((f) => f !== '').join(', ')} }`;
}

/**
 * Expects an error by class or by `{ type, name, code, message, cause }`, as the error value of a
 * marble assertion or anywhere inside `toEqual`: `typedError(StallTimeoutError)` accepts only
 * instances of that class, `typedError({ code: 'ECONNRESET' })` any error with that code.
 *
 * @example
 * ```ts
 * expectObservable(connection.messages$).toBe('30s #', undefined, typedError(StallTimeoutError));
 * expect(closed.error).toEqual(typedError({ code: 'ECONNRESET', message: /ECONNRESET/ }));
 * ```
 */
export function typedError(expected: ErrorClass | ErrorPattern): ErrorMatcher {
  const text = `typedError(${describe(expected)})`;
  return {
    $$typeof: Symbol.for('jest.asymmetricMatcher'),
    asymmetricMatch: (actual: unknown) => matches(actual, expected),
    toAsymmetricMatcher: () => text,
    toString: () => text,
  };
}
