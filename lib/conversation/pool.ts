import { asyncScheduler, BehaviorSubject, Observable, Subject, type SchedulerLike, type Subscription } from 'rxjs';
import type { ConnectOptions } from '../connection/connect';
import { connectorOf, type AddressOrConnector, type Connector } from './connector';
import type { Connection } from '../connection/connection';
import { ConnectionLostError, ReconnectFailedError, RequestTimeoutError } from '../errors';
import { whenAborted } from '../internal/abort';
import { backoff, type BackoffOptions } from './backoff';
import { requester, type RequestOptions, type Requester, type RequesterOptions } from './requester';

/** Options of {@link pool}. */
export interface PoolOptions<In, Out> extends ConnectOptions<In, Out> {
  /** Connections kept open. */
  size: number;
  /**
   * How requests and replies are matched on each connection (`maxInFlight: 1` for synchronous
   * protocols). `timeout` counts from `request()` subscription, time spent waiting for a
   * connection included.
   */
  requests?: RequesterOptions<In, Out>;
  /** Delays before replacing a failed connection; `maxAttempts` failed attempts in a row retire a member. */
  backoff?: BackoffOptions;
  /** Scheduler of the replacement delays and request timeouts (and of each connection's timers). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Opens each connection. Default {@link connect}; pass another transport's, for example
   * `() => connectWebSocket(url, { codec: json() })` from `rxjs-socket/websocket`, or, in tests,
   * one that emits test connections.
   */
  connector?: Connector<In, Out>;
}

/** Where a pool is: some connection up, none up yet (trying), given up, or unsubscribed. */
export type PoolStatus = 'connecting' | 'connected' | 'failed' | 'closed';

/** One step of a pool's life, emitted by `state$`. */
export interface PoolState {
  /** Where the pool is. */
  readonly status: PoolStatus;
  /** Connections up. */
  readonly connected: number;
  /** Failed attempts in a row of the member this step is about (0 for a connect). */
  readonly failures: number;
  /** The failure this step reports (an attempt that failed, a connection that ended with an error). */
  readonly error?: unknown;
  /** Milliseconds until that member tries again; absent when it does not. */
  readonly retryIn?: number;
}

/** N connections to one endpoint, used as one. */
export interface Pool<In, Out> {
  /**
   * Sends `message` on the first idle connection, else round robin; waits for one if none is up.
   * Errors with RequestTimeoutError (waiting included), ConnectionLostError, ReconnectFailedError
   * once the pool gave up, or the signal's reason when aborted.
   */
  request(message: Out, options?: RequestOptions): Observable<In>;
  /** Connections up right now. */
  readonly connected: number;
  /**
   * Every connect, failure and retry. Replays the current state to each new subscriber; ends with
   * `failed` (then completes) or `closed`.
   */
  readonly state$: Observable<PoolState>;
}

interface Member<In, Out> {
  connection: Connection<In, Out> | null;
  requests: Requester<In, Out> | null;
  failures: number;
  /** Gave up after `maxAttempts` failures in a row; revived when another member connects. */
  retired: boolean;
  attempt: Subscription | null;
  timer: Subscription | null;
}

/**
 * A connection pool: `size` connections to one endpoint (TCP or Unix socket), each with its own
 * {@link requester}. Requests go to the first idle connection, else round robin; a connection that
 * fails is replaced after a backoff (its pending requests fail with ConnectionLostError). A member
 * that fails `backoff.maxAttempts` times in a row stops trying until another one connects; when no
 * member is up or trying, the pool errors with ReconnectFailedError, and so do its waiting requests.
 * Unsubscribing closes every connection.
 *
 * @example
 * ```ts
 * pool({ path: '/run/app.sock', size: 4, codec: json(), requests: { maxInFlight: 1, timeout: 500 } }).pipe(
 *   switchMap((p) => p.request({ query: 'status' })),
 * ).subscribe(console.log);
 * ```
 */
export function pool<In = Uint8Array, Out = In>(options: PoolOptions<In, Out> & AddressOrConnector<In, Out>): Observable<Pool<In, Out>> {
  const delays = backoff(options.backoff);
  const { timeout, ...requesterOptions } = options.requests ?? {};
  return new Observable<Pool<In, Out>>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const connector = connectorOf(options);
    const members: Array<Member<In, Out>> = Array.from({ length: options.size }, () => ({
      connection: null,
      requests: null,
      failures: 0,
      retired: false,
      attempt: null,
      timer: null,
    }));
    const state = new BehaviorSubject<PoolState>({ status: 'connecting', connected: 0, failures: 0 });
    /** Emits whenever a member connects, so waiting requests can go; errors when the pool ends. */
    const up = new Subject<void>();
    let next = 0;
    let stopped = false;
    let gaveUp: ReconnectFailedError | null = null;
    let lastError: unknown = undefined;

    const connectedCount = (): number => members.filter((m) => m.connection !== null).length;
    const report = (step: Omit<PoolState, 'status' | 'connected'>): void => {
      const connected = connectedCount();
      state.next({ status: connected > 0 ? 'connected' : 'connecting', connected, ...step });
    };

    const keep = (member: Member<In, Out>): void => {
      member.timer = null;
      if (stopped) return;
      let opened = false;
      member.attempt = connector({ ...options, scheduler }).subscribe({
        next: (connection) => {
          opened = true;
          member.connection = connection;
          member.failures = 0;
          member.requests = requester(connection, { scheduler, ...requesterOptions });
          // Its close, with the error that ended it, retires this connection (before the attempt completes).
          connection.closed$.subscribe((info) => member.connection === connection && failed(member, info.error, true));
          for (const other of members) if (other.retired) revive(other);
          report({ failures: 0 });
          up.next();
        },
        error: (error: unknown) => failed(member, error, opened),
        complete: () => opened || failed(member, undefined, false),
      });
    };

    /** A member's attempt failed (`wasUp` false) or its connection ended. */
    const failed = (member: Member<In, Out>, error: unknown, wasUp: boolean): void => {
      member.connection = member.requests = null;
      member.attempt = null;
      if (stopped) return;
      if (error !== undefined) lastError = error;
      if (!wasUp) member.failures++;
      if (member.failures >= delays.maxAttempts) {
        member.retired = true;
        report({ failures: member.failures, error });
        if (members.every((m) => m.retired)) giveUp(member.failures);
        return;
      }
      // After a lost connection, wait `initial`; after the n-th failed attempt in a row, the n-th delay.
      const retryIn = delays.delay(Math.max(1, member.failures));
      report({ failures: member.failures, error, retryIn });
      member.timer = scheduler.schedule(() => keep(member), retryIn);
    };

    const revive = (member: Member<In, Out>): void => {
      member.retired = false;
      member.failures = 0;
      keep(member);
    };

    const giveUp = (attempts: number): void => {
      gaveUp = new ReconnectFailedError(attempts, lastError);
      stopped = true;
      state.next({ status: 'failed', connected: 0, failures: attempts, error: lastError });
      state.complete();
      up.error(gaveUp);
      subscriber.error(gaveUp);
    };

    const pick = (): Requester<In, Out> | null => {
      const live = members.filter((m) => m.requests !== null);
      if (live.length === 0) return null;
      const idle = live.find((m) => m.requests?.pending === 0);
      if (idle) return idle.requests;
      next = (next + 1) % live.length;
      return (live[next] as Member<In, Out>).requests;
    };

    const closedError = (): Error => gaveUp ?? new ConnectionLostError('pool closed');

    const request = (message: Out, requestOptions: RequestOptions = {}): Observable<In> =>
      new Observable<In>((requestSubscriber) => {
        if (stopped) {
          requestSubscriber.error(closedError());
          return undefined;
        }
        let inner: Subscription | null = null;
        let waiting: Subscription | null = null;
        const teardown = (): void => {
          timer?.unsubscribe();
          stopAbort();
          waiting?.unsubscribe();
          inner?.unsubscribe();
        };
        const fail = (error: unknown): void => {
          teardown();
          requestSubscriber.error(error);
        };
        const send = (): boolean => {
          const target = pick();
          if (target === null) return false;
          waiting?.unsubscribe();
          inner = target.request(message).subscribe({
            next: (reply) => requestSubscriber.next(reply),
            error: fail,
            complete: () => {
              teardown();
              requestSubscriber.complete();
            },
          });
          return true;
        };
        // The timeout covers the whole request: waiting for a connection, then for the reply.
        const timer =
          timeout === undefined
            ? null
            : scheduler.schedule(() => fail(new RequestTimeoutError(timeout, inner === null ? lastError : undefined)), timeout);
        const stopAbort = whenAborted(requestOptions.signal, fail);
        if (requestSubscriber.closed || send()) return teardown;
        // Nobody is up: wait for the next member to connect, or for the pool to end.
        waiting = up.subscribe({
          next: () => {
            if (inner === null) send();
          },
          error: fail,
          complete: () => fail(closedError()),
        });
        return teardown;
      });

    subscriber.next({
      request,
      get connected() {
        return connectedCount();
      },
      state$: state.asObservable(),
    });
    members.forEach((member) => keep(member));
    return () => {
      if (stopped && gaveUp !== null) return;
      stopped = true;
      for (const member of members) {
        member.timer?.unsubscribe();
        // Cancelling an attempt closes its connection gracefully.
        member.attempt?.unsubscribe();
      }
      state.next({ status: 'closed', connected: 0, failures: 0 });
      state.complete();
      up.complete();
    };
  });
}
