import { asyncScheduler, Observable, ReplaySubject, type SchedulerLike, type Subscription } from 'rxjs';
import { connect, type ConnectOptions } from '../connection/connect';
import type { Connection } from '../connection/connection';
import { ConnectionLostError } from '../errors';
import { backoff, type BackoffOptions } from './backoff';
import { requester, type Requester, type RequesterOptions } from './requester';

/** Options of {@link pool}. */
export interface PoolOptions<In, Out> extends ConnectOptions<In, Out> {
  /** Connections kept open. */
  size: number;
  /** How requests and replies are matched on each connection (`maxInFlight: 1` for synchronous protocols). */
  requests?: RequesterOptions<In, Out>;
  /** Delays before replacing a failed connection. */
  backoff?: BackoffOptions;
  /** Scheduler of the replacement delays (and of each connection's timers). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Opens each connection. Default {@link connect}; pass another transport's, for example
   * `() => connectWebSocket(url, { codec: json() })` from `rxjs-socket/websocket`.
   */
  connector?: (options: ConnectOptions<In, Out>) => Observable<Connection<In, Out>>;
}

/** N connections to one endpoint, used as one. */
export interface Pool<In, Out> {
  /** Sends `message` on the first idle connection, else round robin; waits for one if none is up. */
  request(message: Out): Observable<In>;
  /** Connections up right now. */
  readonly connected: number;
}

interface Member<In, Out> {
  connection: Connection<In, Out> | null;
  requests: Requester<In, Out> | null;
}

/**
 * A connection pool: `size` connections to one endpoint (TCP or Unix socket), each with its own
 * {@link requester}. Requests go to the first idle connection, else round robin; a connection that
 * fails is replaced after a backoff (its pending requests fail with ConnectionLostError).
 * Unsubscribing closes every connection.
 *
 * @example
 * ```ts
 * pool({ path: '/run/app.sock', size: 4, codec: json(), requests: { maxInFlight: 1 } }).pipe(
 *   switchMap((p) => p.request({ query: 'status' })),
 * ).subscribe(console.log);
 * ```
 */
export function pool<In = Uint8Array, Out = In>(options: PoolOptions<In, Out>): Observable<Pool<In, Out>> {
  const delays = backoff(options.backoff);
  return new Observable<Pool<In, Out>>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const members: Array<Member<In, Out>> = Array.from({ length: options.size }, () => ({ connection: null, requests: null }));
    const subscriptions = new Set<Subscription>();
    /** Emits whenever a member connects, so waiting requests can go. */
    const up = new ReplaySubject<void>(1);
    let next = 0;
    let stopped = false;

    const keep = (member: Member<In, Out>, failures: number): void => {
      if (stopped) return;
      const attempt = (options.connector ?? connect<In, Out>)({ ...options, scheduler }).subscribe({
        next: (connection) => {
          member.connection = connection;
          member.requests = requester(connection, { scheduler, ...options.requests });
          up.next();
          connection.closed$.subscribe(() => {
            member.connection = member.requests = null;
            replaceLater(member, attempt, 0);
          });
        },
        error: () => replaceLater(member, attempt, failures + 1),
      });
      subscriptions.add(attempt);
    };

    /** After a backoff, opens a new connection for `member` (not once the pool is stopped). */
    const replaceLater = (member: Member<In, Out>, previous: Subscription, failures: number): void => {
      subscriptions.delete(previous);
      if (stopped) return;
      const timer = scheduler.schedule(() => {
        subscriptions.delete(timer);
        keep(member, failures);
      }, delays.delay(Math.max(1, failures)));
      subscriptions.add(timer);
    };

    const pick = (): Requester<In, Out> | null => {
      const live = members.filter((m) => m.requests !== null);
      if (live.length === 0) return null;
      const idle = live.find((m) => m.requests?.pending === 0);
      if (idle) return idle.requests;
      next = (next + 1) % live.length;
      return (live[next] as Member<In, Out>).requests;
    };

    const request = (message: Out): Observable<In> =>
      new Observable<In>((requestSubscriber) => {
        let inner: Subscription | null = null;
        const send = (): boolean => {
          const target = pick();
          if (target === null) return false;
          inner = target.request(message).subscribe(requestSubscriber);
          return true;
        };
        if (stopped) requestSubscriber.error(new ConnectionLostError('pool closed'));
        else if (!send()) {
          // Nobody is up: wait for the next member to connect, or for the pool to close.
          const waiting = up.subscribe({
            next: () => {
              if (inner === null && send()) waiting.unsubscribe();
            },
            complete: () => requestSubscriber.error(new ConnectionLostError('pool closed')),
          });
          return () => {
            waiting.unsubscribe();
            inner?.unsubscribe();
          };
        }
        return () => inner?.unsubscribe();
      });

    members.forEach((member) => keep(member, 0));
    subscriber.next({
      request,
      get connected() {
        return members.filter((m) => m.connection !== null).length;
      },
    });
    return () => {
      stopped = true;
      for (const s of subscriptions) s.unsubscribe();
      for (const member of members) member.connection?.close();
      up.complete();
    };
  });
}
