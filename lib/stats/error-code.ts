/**
 * The code an error is counted under: its `code` (rxsocket's `RXSOCKET_ERR_...`, Node's `ECONNRESET`),
 * else its `name`, else `'UNKNOWN'`. Internal.
 */
export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'UNKNOWN';
}
