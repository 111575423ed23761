import { asyncScheduler, concat, defer, map, Observable, takeUntil, timer, type SchedulerLike } from 'rxjs';
import type { Connection } from '../connection/connection';
import { errorCodeOf } from './error-code';

/** Options of {@link connectionStats} and {@link serverStats}. */
export interface StatsOptions {
  /** Milliseconds between two samples. Default 1,000. */
  interval?: number;
  /** Scheduler the samples are taken on (a `TestScheduler` in tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** One sample of one connection, emitted by {@link connectionStats}. */
export interface ConnectionStats {
  /** When it was taken: `scheduler.now()`. */
  readonly time: number;
  /** Messages delivered to `messages$` so far. */
  readonly messagesIn: number;
  /** Bytes received so far. */
  readonly bytesIn: number;
  /** Messages accepted by the sink so far. */
  readonly messagesOut: number;
  /** Encoded bytes accepted by the sink so far. */
  readonly bytesOut: number;
  /** Outgoing bytes accepted and not yet written to the kernel. */
  readonly queuedBytes: number;
  /** Whether the connection takes more output now (see `Connection.writable`). */
  readonly writable: boolean;
  /** Whether it has closed (the last sample). */
  readonly closed: boolean;
  /** The code of the error that closed it (`RXSOCKET_ERR_...`, `ECONNRESET`), if one did. */
  readonly errorCode: string | undefined;
}

/** Defaults of {@link StatsOptions}, applied in one place. Internal. */
export function resolveStatsOptions(options: StatsOptions | undefined): Required<StatsOptions> {
  return { interval: options?.interval ?? 1000, scheduler: options?.scheduler ?? asyncScheduler };
}

/** Reads one connection's counters. Internal. */
export function sampleConnection(connection: Connection<unknown, never>, time: number, closedWith?: { error: unknown }): ConnectionStats {
  const traffic = connection.traffic;
  return {
    time,
    messagesIn: traffic?.messagesIn ?? 0,
    bytesIn: traffic?.bytesIn ?? 0,
    messagesOut: traffic?.messagesOut ?? 0,
    bytesOut: traffic?.bytesOut ?? 0,
    queuedBytes: closedWith === undefined ? connection.queuedBytes : 0,
    writable: closedWith === undefined && connection.writable,
    closed: closedWith !== undefined,
    errorCode: closedWith?.error === undefined ? undefined : errorCodeOf(closedWith.error),
  };
}

/**
 * Samples one connection's traffic: emits a {@link ConnectionStats} at once and every `interval`
 * ms on the scheduler, one last sample when the connection closes, then completes. Counting costs
 * a few additions per message whether or not anybody subscribes; sampling runs only while
 * subscribed. Subscribing never reads from or writes to the connection.
 *
 * @example
 * ```ts
 * connect({ port, codec: json() }).pipe(
 *   switchMap((connection) => connectionStats(connection, { interval: 5000 })),
 * ).subscribe(({ messagesIn, bytesIn, queuedBytes }) => console.log(messagesIn, bytesIn, queuedBytes));
 * ```
 */
export function connectionStats(connection: Connection<unknown, never>, options?: StatsOptions): Observable<ConnectionStats> {
  const { interval, scheduler } = resolveStatsOptions(options);
  return defer(() =>
    concat(
      timer(0, interval, scheduler).pipe(
        takeUntil(connection.closed$),
        map(() => sampleConnection(connection, scheduler.now())),
      ),
      connection.closed$.pipe(map((info) => sampleConnection(connection, scheduler.now(), info))),
    ),
  );
}
