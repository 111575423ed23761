import type { Observable } from 'rxjs';
import type { Connection } from '../connection/connection';
import { reconnectingWith, type ReconnectingClient, type ReconnectPolicy } from '../conversation/reconnecting-client';
import { resolveWebSocketOptions } from '../websocket/websocket-options';
import { connectWebSocket, type BrowserWebSocketOptions } from './connect-websocket';

/** Options of the browser's {@link reconnecting}: where to connect, plus how to reconnect. */
export interface BrowserReconnectingOptions<In = Uint8Array, Out = In> extends BrowserWebSocketOptions<In, Out>, ReconnectPolicy<In, Out> {
  /** The WebSocket URL, for example `wss://dash.example.com/live`. */
  url: string;
  /** Opens each connection attempt. Default {@link connectWebSocket} to `url`. */
  connector?: (options: BrowserReconnectingOptions<In, Out>) => Observable<Connection<In, Out>>;
}

/**
 * The reconnecting client of the Node entry, over the browser's WebSocket: it connects on
 * subscribe, reconnects with exponential backoff, buffers what the sink gets while disconnected
 * (bounded) and sends it in order after reconnecting; every message is sent or reported on
 * `unsent$`. Unsubscribing closes it.
 *
 * @example
 * ```ts
 * reconnecting({ url: `wss://${location.host}/live`, codec: json(), backoff: { initial: 250, max: 10_000 } })
 *   .subscribe((client) => {
 *     client.state$.subscribe((s) => (status.textContent = s.status));
 *     client.messages$.subscribe(render);
 *   });
 * ```
 */
export function reconnecting<In = Uint8Array, Out = In>(options: BrowserReconnectingOptions<In, Out>): Observable<ReconnectingClient<In, Out>> {
  const { outCodec, outFraming } = resolveWebSocketOptions({ ...options, heartbeat: false }).connection;
  const open = options.connector ?? ((o: BrowserReconnectingOptions<In, Out>) => connectWebSocket<In, Out>(o.url, o));
  return reconnectingWith(options, (scheduler) => open({ ...options, scheduler }), outCodec, outFraming);
}
