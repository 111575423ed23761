import type { Observer } from 'rxjs';
import { ConnectionCore } from './connection-core';
import { SharedMessage } from './shared-message';

/**
 * What {@link broadcast} sends to: any `Connection`, or anything with a sink (a `rooms` member).
 *
 * @example
 * ```ts
 * const targets: BroadcastTarget<string>[] = [connection, { sink: { next: console.log, error: () => {}, complete: () => {} } }];
 * ```
 */
export interface BroadcastTarget<Out> {
  /** Where the message goes when the target is not one of rxsocket's own connections. */
  readonly sink: Observer<Out>;
  /** Messages the target refused so far (a `Connection`'s): how `broadcast` tells whether it accepted one. */
  readonly lateMessages?: number;
}

/**
 * Sends `message` to every connection in `connections`, encoding and framing it once for all of
 * them: each of rxsocket's own TCP, Unix, TLS and `Duplex` connections queues the same frame bytes
 * (a frame of up to 16 KiB is copied into each connection's write batch; a larger payload is
 * shared as a view, never copied). The last encoding and framing are kept: a connection whose
 * codec or framing differs from the one before it gets the message encoded or framed again, so
 * give connections of one kind together (the connections of one server share theirs). WebSocket connections share the encoded payload and frame it
 * themselves (`ws` frames every send). Any other `Connection` (one you wrote, or one wrapped, such
 * as the packetsocket server's paced clients) gets `sink.next(message)`.
 *
 * Each connection accounts for the message exactly as for its own `sink.next(message)`: it counts
 * in that connection's `queuedBytes`, `traffic`, `lateMessages` and `closed$` unsent counts; the
 * bound `maxQueuedBytes` applies per connection (a slow peer whose queue is full fails with
 * QueueOverflowError, the others still get the message); a message that cannot be encoded or
 * framed fails each connection it was for with the same typed error. Returns how many connections
 * accepted it (were not already closed or ended, full, or failed by it); a target without
 * `lateMessages` counts as accepting.
 *
 * @example
 * ```ts
 * const clients = new Set<Connection<string, string>>();
 * listen({ port: 0, framing: delimiter(), codec: utf8() }).subscribe((client) => {
 *   clients.add(client);
 *   client.closed$.subscribe(() => clients.delete(client));
 *   client.messages$.subscribe((line) => broadcast(clients, line)); // every line to every client
 * });
 * ```
 */
export function broadcast<Out>(connections: Iterable<BroadcastTarget<Out>>, message: Out): number {
  let shared: SharedMessage<Out> | null = null;
  let accepted = 0;
  for (const connection of connections) {
    const late = connection.lateMessages;
    if (connection instanceof ConnectionCore) {
      shared ??= new SharedMessage(message);
      (connection as ConnectionCore<unknown, Out>).sendShared(shared);
    } else {
      connection.sink.next(message);
    }
    if (connection.lateMessages === late) accepted++;
  }
  return accepted;
}
