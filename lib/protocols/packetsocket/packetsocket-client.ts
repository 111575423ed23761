import { asyncScheduler, map, type Observable, type SchedulerLike } from 'rxjs';
import { raw } from '../../codec/raw';
import { connect } from '../../connection/connect';
import type { Connection } from '../../connection/connection';
import { DEFAULT_MAX_QUEUED_BYTES } from '../../constants';
import { packetsocketFraming } from '../../framing/presets';
import { pacedConnection } from './paced-connection';
import { resolvePacing, type PacketPacing } from './packet-pacing';

/** Options of {@link packetsocketClient}. */
export interface PacketsocketClientOptions {
  /** Server host. Default `'127.0.0.1'`. */
  host?: string;
  /** Server port. */
  port: number;
  /**
   * How packets to the server are spaced, for the original receiver (which loses two packets
   * that meet in one read). Default `DEFAULT_PACKET_PACING`; `false` sends at once, for servers
   * that frame properly (rxsocket's own).
   */
  pacing?: PacketPacing | false;
  /** Outgoing bytes queued (waiting for pacing, or behind a slow server) before QueueOverflowError. Default 32 MiB. */
  maxQueuedBytes?: number;
  /** Milliseconds to connect before ConnectTimeoutError. Default: none. */
  connectTimeout?: number;
  /** Scheduler of the pacing and every timer. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * A packetsocket client: a connection whose messages are packet bodies. It handles coalesced and
 * split packets (unlike the original receiver), and by default paces what it sends so that the
 * original server receives every packet; `messages$` completes cleanly when the server closes.
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
  const pacing = resolvePacing(options.pacing);
  const scheduler = options.scheduler ?? asyncScheduler;
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  const connection$ = connect<Uint8Array>({
    host: options.host ?? '127.0.0.1',
    port: options.port,
    framing: packetsocketFraming(),
    codec: raw(),
    maxQueuedBytes,
    connectTimeout: options.connectTimeout,
    scheduler,
  });
  if (pacing === null) return connection$;
  return connection$.pipe(map((connection) => pacedConnection(connection, { pacing, scheduler, maxQueuedBytes })));
}
