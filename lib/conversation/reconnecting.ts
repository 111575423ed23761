import type { Observable } from 'rxjs';
import type { ConnectOptions } from '../connection/connect';
import { connectorOf, type AddressOrConnector, type Connector } from './connector';
import { resolveConnectionOptions } from '../connection/connection-options';
import { reconnectingWith, type ReconnectingClient, type ReconnectPolicy } from './reconnecting-client';

export type {
  ClientStatus,
  ClientState,
  UnsentMessage,
  HeartbeatOptions,
  ReconnectPolicy,
  ReconnectingClient,
} from './reconnecting-client';

/** Options of {@link reconnecting}: where to connect, plus how to reconnect. */
export interface ReconnectingOptions<In = Uint8Array, Out = In> extends ConnectOptions<In, Out>, ReconnectPolicy<In, Out> {
  /**
   * Opens each connection attempt. Default {@link connect}; tests pass one that emits test
   * connections (`rxsocket/testing`), so reconnection is tested in virtual time without sockets.
   */
  connector?: Connector<In, Out>;
}

/**
 * A reconnecting client over {@link connect}: it connects on subscribe, reconnects with
 * exponential backoff, buffers what the sink gets while disconnected and sends it in order after
 * reconnecting. Each message given to the sink is written to a socket or reported on `unsent$`.
 * Unsubscribing closes it.
 *
 * @example
 * ```ts
 * reconnecting({ host: '127.0.0.1', port, framing: delimiter(), codec: utf8(), backoff: { initial: 100, max: 5_000 } })
 *   .subscribe((client) => {
 *     client.state$.subscribe((s) => console.log(s.status));
 *     client.sink.next('hello'); // sent now, or after the next reconnect
 *   });
 * ```
 */
export function reconnecting<In = Uint8Array, Out = In>(
  options: ReconnectingOptions<In, Out> & AddressOrConnector<In, Out>,
): Observable<ReconnectingClient<In, Out>> {
  const { outCodec, outFraming } = resolveConnectionOptions(options);
  const connector = connectorOf(options);
  return reconnectingWith(options, (scheduler) => connector({ ...options, scheduler }), outCodec, outFraming);
}
