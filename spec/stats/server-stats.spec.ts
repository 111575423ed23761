// serverStats: counts the connections that pass `track`, sampled in virtual time.
import { EMPTY, catchError, map, mergeMap, take, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { delimiter, serverStats, utf8 } from 'rxjs-socket';
import { connectionReset, testConnection, testServer } from 'rxjs-socket/testing';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const lines = { framing: delimiter(), codec: utf8() };

describe('serverStats', () => {
  it('samples connections accepted, open and closed, and messages and bytes both ways', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const first = testConnection({ ...lines, scheduler, incoming$: cold('-a-b|') });
      const second = testConnection({ ...lines, scheduler, incoming$: cold('-c------') });
      const stats = serverStats({ interval: 5, scheduler });
      const served$ = testServer(cold('x-y', { x: first, y: second })).pipe(
        stats.track,
        mergeMap((connection) => connection.messages$.pipe(tap((line) => connection.sink.next(String(line).toUpperCase())))),
      );
      expectObservable(served$, '^-------!').toBe('-a-(bc)', { a: 'a', b: 'b', c: 'c' });
      const picked$ = stats.stats$.pipe(
        take(2),
        map(({ time, open, accepted, closed, messagesIn, messagesOut, bytesIn, bytesOut }) => ({ time, open, accepted, closed, messagesIn, messagesOut, bytesIn, bytesOut })),
      );
      // At 5 the first client has ended (its messages still count), the second is open.
      expectObservable(picked$).toBe('a----(b|)', {
        a: { time: 0, open: 1, accepted: 1, closed: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 },
        b: { time: 5, open: 1, accepted: 2, closed: 1, messagesIn: 3, messagesOut: 3, bytesIn: 6, bytesOut: 3 },
      });
    });
  });

  it('counts the connections closed by an error by its code', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const bad = testConnection({ framing: delimiter(), codec: utf8(), scheduler, incomingBytes$: cold('-x', { x: Uint8Array.of(0xff, 0x0a) }) });
      const reset = testConnection({ ...lines, scheduler, incoming$: cold('--#', undefined, connectionReset()) });
      const stats = serverStats({ interval: 5, scheduler });
      testServer(cold('xy', { x: bad, y: reset }))
        .pipe(
          stats.track,
          mergeMap((connection) => connection.messages$.pipe(catchError(() => EMPTY))),
        )
        .subscribe();
      expectObservable(stats.stats$.pipe(take(2), map(({ closed, errors }) => ({ closed, errors })))).toBe('a----(b|)', {
        a: { closed: 0, errors: {} },
        b: { closed: 2, errors: { RXSOCKET_ERR_DECODE: 1, ECONNRESET: 1 } },
      });
    });
  });

  it('counts without a subscriber to stats$, and samples on demand', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const stats = serverStats({ scheduler });
      const one = testConnection({ ...lines, scheduler, incoming$: cold('-a|') });
      expectObservable(testServer(cold('x', { x: one })).pipe(stats.track, mergeMap((c) => c.messages$))).toBe('-a', { a: 'a' });
      flush();
      expect(stats.sample()).toMatchObject({ accepted: 1, closed: 1, open: 0, messagesIn: 1, bytesIn: 2 });
    });
  });
});
