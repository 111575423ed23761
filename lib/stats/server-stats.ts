import { defer, map, Observable, tap, timer } from 'rxjs';
import type { Connection } from '../connection/connection';
import { resolveStatsOptions, type StatsOptions } from './connection-stats';
import { errorCodeOf } from './error-code';

/** One sample of a server (or of any set of connections), emitted by {@link ServerStats.stats$}. */
export interface ServerStatsSample {
  /** When it was taken: `scheduler.now()`. */
  readonly time: number;
  /** Connections open now. */
  readonly open: number;
  /** Connections seen by `track` so far. */
  readonly accepted: number;
  /** Connections closed so far. */
  readonly closed: number;
  /** Messages received by every connection so far, closed ones included. */
  readonly messagesIn: number;
  /** Bytes received so far. */
  readonly bytesIn: number;
  /** Messages sent so far. */
  readonly messagesOut: number;
  /** Bytes sent so far. */
  readonly bytesOut: number;
  /** Outgoing bytes queued now in the open connections. */
  readonly queuedBytes: number;
  /** Connections closed by an error, by the error's code (`RXSOCKET_ERR_DECODE`, `ECONNRESET`, ...). */
  readonly errors: Readonly<Record<string, number>>;
}

/** The statistics of a server: counts the connections that pass `track`, samples them on `stats$`. */
export interface ServerStats {
  /** Passes connections through unchanged, counting each one until it closes. */
  readonly track: <C extends Connection<unknown, never>>(connections$: Observable<C>) => Observable<C>;
  /** A sample at once and every `interval` ms on the scheduler, while subscribed. */
  readonly stats$: Observable<ServerStatsSample>;
  /** A sample now. */
  sample(): ServerStatsSample;
}

/**
 * Statistics of a server: put `track` on the server's Observable of connections (`listen`,
 * `listenWebSocket`, `testServer`) and subscribe to `stats$` for samples of every connection
 * together (open, accepted and closed connections, messages and bytes in and out, queued bytes,
 * errors by code). Totals include connections that have closed. Nothing runs while nobody
 * subscribes to `stats$` but the counting itself (one `closed$` subscription per connection).
 *
 * @example
 * ```ts
 * const stats = serverStats({ interval: 1000 });
 * listen({ port: 0, codec: json() }).pipe(stats.track, mergeMap(handle)).subscribe();
 * stats.stats$.subscribe(({ open, messagesIn, errors }) => console.log(open, messagesIn, errors));
 * ```
 */
export function serverStats(options?: StatsOptions): ServerStats {
  const { interval, scheduler } = resolveStatsOptions(options);
  const live = new Set<Connection<unknown, never>>();
  const retired = { messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0 };
  const errors: Record<string, number> = {};
  let accepted = 0;
  let closed = 0;

  const retire = (connection: Connection<unknown, never>, error: unknown): void => {
    if (!live.delete(connection)) return;
    closed++;
    const traffic = connection.traffic;
    retired.messagesIn += traffic?.messagesIn ?? 0;
    retired.bytesIn += traffic?.bytesIn ?? 0;
    retired.messagesOut += traffic?.messagesOut ?? 0;
    retired.bytesOut += traffic?.bytesOut ?? 0;
    if (error !== undefined) {
      const code = errorCodeOf(error);
      errors[code] = (errors[code] ?? 0) + 1;
    }
  };

  const sample = (): ServerStatsSample => {
    const totals = { ...retired, queuedBytes: 0 };
    for (const connection of live) {
      const traffic = connection.traffic;
      totals.messagesIn += traffic?.messagesIn ?? 0;
      totals.bytesIn += traffic?.bytesIn ?? 0;
      totals.messagesOut += traffic?.messagesOut ?? 0;
      totals.bytesOut += traffic?.bytesOut ?? 0;
      totals.queuedBytes += connection.queuedBytes;
    }
    return { time: scheduler.now(), open: live.size, accepted, closed, ...totals, errors: { ...errors } };
  };

  const track = <C extends Connection<unknown, never>>(connections$: Observable<C>): Observable<C> =>
    connections$.pipe(
      tap((connection) => {
        accepted++;
        live.add(connection);
        connection.closed$.subscribe((info) => retire(connection, info.error));
      }),
    );

  return {
    track,
    stats$: defer(() => timer(0, interval, scheduler).pipe(map(sample))),
    sample,
  };
}
