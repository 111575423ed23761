import { Socket } from 'node:net';

/** TCP tuning shared by clients and servers. */
export interface TcpOptions {
  /** Disable Nagle's algorithm, so small messages leave at once. Default true. */
  noDelay?: boolean;
  /** Enable TCP keepalive, with this initial delay in milliseconds. Default: off. */
  keepAlive?: number;
}

/**
 * Applies {@link TcpOptions} to a TCP socket (a no-op for Unix sockets, whose handles Node does not
 * tune, and other streams). It reads nothing from the socket: asking for its address would cost a
 * system call and an object per connection.
 */
export function applyTcpOptions(socket: unknown, options: TcpOptions): void {
  if (!(socket instanceof Socket)) return;
  socket.setNoDelay(options.noDelay ?? true);
  if (options.keepAlive !== undefined) socket.setKeepAlive(true, options.keepAlive);
}
