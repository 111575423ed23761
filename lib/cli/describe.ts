import type { SocketAddress } from '../connection/connection';
import { RxSocketError } from '../errors';

/**
 * An address as people write it: `127.0.0.1:8080`, `[::1]:8080`, or the Unix socket's path.
 *
 * @example
 * ```ts
 * describeAddress({ family: 'IPv6', address: '::1', port: 80 }); // '[::1]:80'
 * ```
 */
export function describeAddress(address: SocketAddress | undefined): string {
  if (address === undefined) return 'unknown address';
  return address.family === 'unix' ? address.path : describeEndpoint(address.address, address.port);
}

/**
 * `HOST:PORT`, with an IPv6 address in brackets.
 *
 * @example
 * ```ts
 * describeEndpoint('::1', 80); // '[::1]:80'
 * ```
 */
export function describeEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * One line about an error: Node's own message (which names its code, `connect ECONNREFUSED ...`),
 * or an rxsocket error's message followed by its stable code.
 *
 * @example
 * ```ts
 * describeError(new FrameTooLargeError(9, 4)); // 'frame of 9 bytes exceeds maxFrameBytes 4 (RXSOCKET_ERR_FRAME_TOO_LARGE)'
 * ```
 */
export function describeError(error: unknown): string {
  if (error instanceof RxSocketError) return `${error.message} (${error.code})`;
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
