import { constants } from 'node:os';

/**
 * A fresh error shaped like the one Node gives a socket whose peer reset the connection:
 * `Error: read ECONNRESET` with `code: 'ECONNRESET'`, `errno` and `syscall: 'read'`. The wire of a
 * connection pair fails its ends with it; give it as the error of a test connection's `incoming$`
 * to play a peer that resets.
 *
 * @example
 * ```ts
 * const connection = testConnection({ incoming$: cold('--a--#', { a: 'hi' }, connectionReset()) });
 * ```
 */
export function connectionReset(): NodeJS.ErrnoException {
  return Object.assign(new Error('read ECONNRESET'), { errno: -constants.errno.ECONNRESET, code: 'ECONNRESET', syscall: 'read' });
}
