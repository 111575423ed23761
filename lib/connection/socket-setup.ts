import { Socket } from 'node:net';

/** TCP tuning shared by clients and servers. */
export interface TcpOptions {
  /** Disable Nagle's algorithm, so small messages leave at once. Default true. */
  noDelay?: boolean;
  /** Enable TCP keepalive, with this initial delay in milliseconds. Default: off. */
  keepAlive?: number;
}

/** Applies {@link TcpOptions} to a TCP socket (a no-op for Unix sockets and other streams). */
export function applyTcpOptions(socket: unknown, options: TcpOptions): void {
  if (!(socket instanceof Socket) || socket.remotePort === undefined) return;
  socket.setNoDelay(options.noDelay ?? true);
  if (options.keepAlive !== undefined) socket.setKeepAlive(true, options.keepAlive);
}
