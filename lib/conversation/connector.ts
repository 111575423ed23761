import type { Observable } from 'rxjs';
import { connect, type ConnectAddress, type ConnectOptions } from '../connection/connect';
import type { Connection } from '../connection/connection';

/**
 * Opens one connection with the options it is given: {@link connect} by default; another
 * transport's (`() => connectWebSocket(url, options)`), or in tests one that emits test connections.
 *
 * @example
 * ```ts
 * const viaWebSocket: Connector<string, string> = () => connectWebSocket(url, { codec: utf8() });
 * reconnecting({ connector: viaWebSocket });
 * ```
 */
export type Connector<In, Out> = (options: ConnectOptions<In, Out>) => Observable<Connection<In, Out>>;

/**
 * What a client that opens its own connections needs: an address for {@link connect} (a TCP
 * `port`, or a Unix socket `path`), or a `connector` that knows where to go.
 *
 * @example
 * ```ts
 * reconnecting({ port: 7000, codec: utf8() }); // or { path }, or { connector }
 * ```
 */
export type AddressOrConnector<In, Out> =
  | ConnectAddress
  | {
      /** Opens each connection, wherever it goes. */
      readonly connector: Connector<In, Out>;
    };

/** The options' connector, else {@link connect} (the public signatures require an address then). */
export function connectorOf<In, Out>(options: { readonly connector?: Connector<In, Out> }): Connector<In, Out> {
  return options.connector ?? ((connectOptions) => connect<In, Out>(connectOptions as ConnectOptions<In, Out> & ConnectAddress));
}
