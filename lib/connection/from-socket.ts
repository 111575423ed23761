import type { Duplex } from 'node:stream';
import type { Connection } from './connection';
import { resolveConnectionOptions, type ConnectionOptions } from './connection-options';
import { SocketConnection } from './socket-connection';
import { addressesOf } from './socket-address';

/**
 * Wraps an existing Node `Duplex` (a `net.Socket`, a TLS socket, an in-memory pair, a child
 * process's stdio joined with `Duplex.from`) as a {@link Connection}. The stream is read ahead up to
 * `maxHeldBytes` until `messages$` is subscribed; `close()` ends it gracefully and `destroy()` at once.
 *
 * @example
 * ```ts
 * const connection = fromSocket(socket, { framing: delimiter(), codec: utf8() });
 * connection.messages$.subscribe((line) => connection.sink.next(line.toUpperCase()));
 * ```
 */
export function fromSocket<In = Uint8Array, Out = In>(socket: Duplex, options: ConnectionOptions<In, Out> = {}): Connection<In, Out> {
  return new SocketConnection(socket, resolveConnectionOptions(options), addressesOf(socket));
}
