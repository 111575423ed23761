import { map, type Observable } from 'rxjs';
import { json } from '../../codec/json';
import type { Connection, SocketAddress } from '../../connection/connection';
import type { ConnectionOptions } from '../../connection/connection-options';
import { listen } from '../../connection/listen';
import { serve, type ServedConnection } from '../../conversation/serve';
import { jsocketFraming, type JsocketGeneration } from '../../framing/presets';

/** A jsocket handler: `process_message(obj)`. Return a reply (sent), or nothing (`undefined`/`null`: nothing sent). */
export type JsocketHandler = (message: unknown, connection: Connection<unknown, unknown>) => unknown;

/** Options of {@link jsocketServer}. */
export interface JsocketServerOptions extends Pick<ConnectionOptions, 'stallTimeout' | 'idleTimeout' | 'closeTimeout' | 'scheduler'> {
  /** Wire generation. Default `'v2'`. */
  generation?: JsocketGeneration;
  /** Address to bind. Default `'127.0.0.1'`. */
  host?: string;
  /** Port; 0 picks a free one. Default 5489, jsocket's. */
  port?: number;
  /** Called with the bound address. */
  onListening?: (address: SocketAddress) => void;
  /**
   * `'single'` (default): one client at a time, like jsocket's ThreadedServer (later clients wait,
   * then their queued requests are answered at once); `'concurrent'`: one worker per connection,
   * like ServerFactory.
   */
  mode?: 'single' | 'concurrent';
  /** The handler; may return a Promise or an Observable of one reply. */
  handler: JsocketHandler;
  /** A message pushed to each client as it is served, unprompted. */
  welcome?: unknown;
  /**
   * One client at a time: milliseconds a later client may wait for its turn before it is dropped.
   * Default 60,000; `Infinity`: forever. (An idle served client is closed after `idleTimeout`, 30 s by default.)
   */
  waitTimeout?: number;
}

/**
 * A jsocket server: JSON values framed as jsocket v1, legacy or v2, a handler whose return value
 * is the reply (nothing for `undefined` or `null`, so JSON `null` is never sent as a reply). A
 * bad frame (bad magic, over 10 MiB, CRC mismatch, invalid UTF-8 or JSON, timeout or end
 * mid-frame) closes that connection; the server keeps accepting. Emits each connection's end.
 *
 * @example
 * ```ts
 * jsocketServer({ port: 5489, generation: 'v1', handler: (message) => ({ echo: message }) }).subscribe();
 * ```
 */
export function jsocketServer(options: JsocketServerOptions): Observable<ServedConnection<unknown, unknown>> {
  const { handler, welcome } = options;
  const framing = jsocketFraming(options.generation ?? 'v2');
  return listen<unknown>({
    host: options.host,
    port: options.port ?? 5489,
    onListening: options.onListening,
    framing,
    // The protocol's own limit (10 MiB for v2), for compatibility: see README, Running on the internet.
    codec: json({ maxFrameBytes: framing.maxFrameBytes }),
    singleClient: (options.mode ?? 'single') === 'single',
    stallTimeout: options.stallTimeout,
    idleTimeout: options.idleTimeout,
    waitTimeout: options.waitTimeout,
    closeTimeout: options.closeTimeout,
    scheduler: options.scheduler,
  }).pipe(
    map((connection) => {
      if (welcome !== undefined) connection.sink.next(welcome);
      return connection;
    }),
    serve(handler),
  );
}
