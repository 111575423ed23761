import { Observable } from 'rxjs';
import { raw } from '../../codec/raw';
import { connect } from '../../connection/connect';
import type { Connection } from '../../connection/connection';
import { packetsocketFraming } from '../../framing/presets';

/** Options of {@link packetsocketClient}. */
export interface PacketsocketClientOptions {
  /** Server host. Default `'127.0.0.1'`. */
  host?: string;
  /** Server port. */
  port: number;
}

/**
 * A packetsocket client: a connection whose messages are packet bodies. It handles coalesced and
 * split packets (unlike the original receiver); `messages$` completes cleanly when the server
 * closes.
 *
 * @example
 * ```ts
 * packetsocketClient({ port }).subscribe((connection) => {
 *   connection.messages$.subscribe((body) => console.log(Buffer.from(body).toString()));
 *   connection.sink.next(Buffer.from('hello'));
 * });
 * ```
 */
export function packetsocketClient(options: PacketsocketClientOptions): Observable<Connection<Uint8Array, Uint8Array>> {
  return connect<Uint8Array>({ host: options.host ?? '127.0.0.1', port: options.port, framing: packetsocketFraming(), codec: raw() });
}
