// Issue 16, item 1: a pool's failures surface (state$, maxAttempts, errors) and its request
// timeout counts the time spent waiting for a connection. Marbles in virtual time through
// `connector`, and one real refused port.
import { defer, firstValueFrom, map, NEVER, Observable, of, tap, throwError, toArray, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  ConnectionLostError,
  json,
  pool,
  ReconnectFailedError,
  RequestTimeoutError,
  type Connection,
  type Pool,
  type PoolState,
} from 'rxjs-socket';
import { testConnection, typedError } from 'rxjs-socket/testing';
import { startServer } from '../helpers/loopback';

interface Msg {
  id: number;
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('pool (marbles)', () => {
  it('counts the wait for a connection in requests.timeout, and says why nothing was up', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const p$ = pool<Msg>({
        port: 1,
        size: 1,
        scheduler,
        requests: { timeout: 500 },
        backoff: { initial: 100, jitter: 0, factor: 1 },
        connector: () => cold<Connection<Msg, Msg>>('10ms #', undefined, refused),
      });
      let requests: Observable<Msg> | undefined;
      const held = p$.subscribe((p) => (requests = p.request({ id: 1 })));
      expectObservable(requests as Observable<Msg>).toBe(
        '500ms #',
        undefined,
        typedError({ type: RequestTimeoutError, cause: { code: 'ECONNREFUSED' } }),
      );
      scheduler.schedule(() => held.unsubscribe(), 600);
    });
  });

  it('counts the wait and the reply together: a late connection leaves less time for the reply', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const codec = json<Msg>();
      const peer = testConnection<Msg>({ codec, scheduler });
      const p$ = pool<Msg>({
        port: 1,
        size: 1,
        scheduler,
        codec,
        requests: { timeout: 500 },
        connector: () => cold<Connection<Msg, Msg>>('400ms a', { a: peer }),
      });
      let requests: Observable<Msg> | undefined;
      const held = p$.subscribe((p) => (requests = p.request({ id: 1 })));
      // Sent at 400 ms when the connection comes up; never answered: 500 ms after the request, not 900.
      expectObservable(requests as Observable<Msg>).toBe('500ms #', undefined, typedError(RequestTimeoutError));
      expectObservable(peer.outgoing$).toBe('400ms a', { a: { id: 1 } });
      scheduler.schedule(() => held.unsubscribe(), 600);
    });
  });

  it('honours backoff.maxAttempts: the pool, its state$ and its waiting requests fail with ReconnectFailedError', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      let attempts = 0;
      const p$ = pool<Msg>({
        port: 1,
        size: 1,
        scheduler,
        backoff: { initial: 100, factor: 2, jitter: 0, maxAttempts: 3 },
        connector: () => {
          // Bounded, so that a pool that ignored maxAttempts could not retry forever in virtual time.
          return ++attempts > 10 ? NEVER : cold<Connection<Msg, Msg>>('#', undefined, refused);
        },
      });
      let state$: Observable<PoolState> | undefined;
      let request$: Observable<Msg> | undefined;
      const members$ = p$.pipe(
        tap((p) => {
          state$ = p.state$;
          request$ = p.request({ id: 1 });
        }),
      );
      const gaveUp = typedError({ type: ReconnectFailedError, cause: { code: 'ECONNREFUSED' } });
      // Attempts at 0, 100 and 300 (delays 100, 200); the third failure gives up.
      expectObservable(members$.pipe(map(() => 'p'))).toBe('p 299ms #', { p: 'p' }, gaveUp);
      expectObservable(defer(() => request$ as Observable<Msg>)).toBe('300ms #', undefined, gaveUp);
      expectObservable(defer(() => state$ as Observable<PoolState>).pipe(map((s) => [s.status, s.failures, s.retryIn]))).toBe(
        '(za) 96ms b 199ms (cd|)',
        { z: ['connecting', 0, undefined], a: ['connecting', 1, 100], b: ['connecting', 2, 200], c: ['connecting', 3, undefined], d: ['failed', 3, undefined] },
      );
      scheduler.schedule(() => expect(attempts).toBe(3), 1_000);
    });
  });

  it('replays the current state to a late subscriber, and reports a lost connection with the delay to its replacement', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      const first = testConnection<Msg>({ scheduler, codec: json<Msg>(), incoming$: cold<Msg>('50ms #', undefined, reset) });
      const second = testConnection<Msg>({ scheduler, codec: json<Msg>() });
      const queue: Array<Observable<Connection<Msg, Msg>>> = [of(first), of(second)];
      let state$: Observable<PoolState> | undefined;
      const held: Subscription = pool<Msg>({
        port: 1,
        size: 1,
        scheduler,
        codec: json<Msg>(),
        backoff: { initial: 100, jitter: 0 },
        connector: () => queue.shift() ?? throwError(() => refused),
      }).subscribe((p) => {
        state$ = p.state$;
        p.request({ id: 1 }).subscribe({ error: () => undefined }); // starts reading `first`
      });
      expectObservable(
        (state$ as Observable<PoolState>).pipe(map((s) => [s.status, s.connected, s.error === undefined ? '-' : 'e', s.retryIn])),
      ).toBe('a 49ms b 99ms c 49ms (d|)', {
        a: ['connected', 1, '-', undefined],
        b: ['connecting', 0, 'e', 100],
        c: ['connected', 1, '-', undefined],
        d: ['closed', 0, '-', undefined],
      });
      scheduler.schedule(() => {
        const late: Array<PoolState['status']> = [];
        (state$ as Observable<PoolState>).subscribe((s) => late.push(s.status));
        expect(late).toEqual(['connected']);
        held.unsubscribe();
        expect(late).toEqual(['connected', 'closed']);
      }, 200);
    });
  });
});

describe('pool (loopback)', () => {
  it('errors with ReconnectFailedError carrying ECONNREFUSED when pointed at a closed port', async () => {
    const server = await startServer<Msg, Msg>({});
    const port = server.port;
    server.stop();
    const states: PoolState[] = [];
    const outcome = await firstValueFrom(
      new Observable<Pool<Msg, Msg>>((subscriber) =>
        pool<Msg>({ host: '127.0.0.1', port, codec: json<Msg>(), size: 2, backoff: { initial: 1, maxAttempts: 2 } }).subscribe(subscriber),
      ).pipe(
        map((p) => p.state$.subscribe((s) => states.push(s))),
        toArray(),
      ),
    ).catch((e: unknown) => e);
    expect(outcome).toEqual(typedError({ type: ReconnectFailedError, cause: { code: 'ECONNREFUSED' } }));
    expect(states.at(-1)?.status).toBe('failed');
    expect(states.filter((s) => s.error !== undefined).length).toBeGreaterThanOrEqual(4);
  }, 10_000);

  it('fails a request of a closed pool with a ConnectionLostError whose cause is an Error', async () => {
    const server = await startServer<Msg, Msg>({});
    let members: Pool<Msg, Msg> | undefined;
    pool<Msg>({ host: '127.0.0.1', port: server.port, codec: json<Msg>(), size: 1 })
      .subscribe((p) => (members = p))
      .unsubscribe();
    const error = await firstValueFrom((members as Pool<Msg, Msg>).request({ id: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).cause).toBeInstanceOf(Error);
    server.stop();
  }, 10_000);
});
