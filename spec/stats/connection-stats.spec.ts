// connectionStats: one connection's traffic, sampled in virtual time.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { connectionStats, delimiter, utf8 } from 'rxjs-socket';
import { connectionReset, testConnection } from 'rxjs-socket/testing';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const lines = { framing: delimiter(), codec: utf8() };

describe('connectionStats', () => {
  it('samples at once and every interval, then once more when the connection closes', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const connection = testConnection({ ...lines, scheduler, incoming$: cold('-ab---|') });
      connection.messages$.subscribe((line) => connection.sink.next(`${line}!`));
      const picked$ = connectionStats(connection, { interval: 4, scheduler }).pipe(
        map(({ messagesIn, bytesIn, messagesOut, bytesOut, closed, errorCode }) => ({ messagesIn, bytesIn, messagesOut, bytesOut, closed, errorCode })),
      );
      expectObservable(picked$).toBe('a---b-(c|)', {
        a: { messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0, closed: false, errorCode: undefined },
        b: { messagesIn: 2, bytesIn: 4, messagesOut: 2, bytesOut: 4, closed: false, errorCode: undefined },
        c: { messagesIn: 2, bytesIn: 4, messagesOut: 2, bytesOut: 4, closed: true, errorCode: undefined },
      });
    });
  });

  it('reports the code of the error that closed the connection', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const connection = testConnection({ ...lines, scheduler, incoming$: cold('--#', undefined, connectionReset()) });
      connection.messages$.subscribe({ error: () => undefined });
      expectObservable(connectionStats(connection, { interval: 10, scheduler }).pipe(map((s) => s.errorCode))).toBe('a-(b|)', { a: undefined, b: 'ECONNRESET' });
    });
  });

  it('stops sampling when unsubscribed', () => {
    const scheduler = marbles();
    scheduler.run(({ expectObservable }) => {
      const connection = testConnection({ ...lines, scheduler });
      expectObservable(connectionStats(connection, { interval: 2, scheduler }).pipe(map((s) => s.closed)), '^----!').toBe('a-a-a', { a: false });
    });
  });
});
