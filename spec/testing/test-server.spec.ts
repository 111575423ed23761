// testServer: connections emitted on a marble schedule, as listen() would accept them.
import { mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { delimiter, IdleTimeoutError, utf8 } from 'rxjs-socket';
import { testConnection, testServer, typedError, type TestConnection } from 'rxjs-socket/testing';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const lines = { framing: delimiter(), codec: utf8() };

describe('testServer', () => {
  it('emits the connections on their schedule and opens each as it emits it', () => {
    marbles().run(({ cold, expectObservable }) => {
      const first = testConnection({ ...lines, incoming$: cold('-a|') });
      const second = testConnection({ ...lines, incoming$: cold('-b|') });
      const server$ = testServer(cold('-x---y|', { x: first, y: second }));
      // Each connection's cold messages start when the server accepts it, not when it was made.
      expectObservable(server$.pipe(mergeMap((connection) => connection.messages$))).toBe('--a---b|');
    });
  });

  it('starts the idle clock of a connection when it is accepted', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const idle = testConnection({ ...lines, idleTimeout: 100, scheduler });
      const server$ = testServer(cold('50ms x', { x: idle }));
      expectObservable(server$.pipe(mergeMap((connection) => connection.messages$))).toBe('150ms #', undefined, typedError(IdleTimeoutError));
    });
  });

  it('closes every connection still open when unsubscribed', () => {
    marbles().run(({ cold, expectObservable }) => {
      const first = testConnection({ ...lines, incoming$: cold('-a-------') });
      const second = testConnection({ ...lines, incoming$: cold('-b-------') });
      expectObservable(testServer(cold('x-y', { x: first, y: second })), '^----!').toBe('x-y', { x: first, y: second });
      expectObservable(first.outgoing$).toBe('-----|');
      expectObservable(second.outgoing$).toBe('-----|');
      // The peer never ends: the default closeTimeout (5 s) destroys the connection.
      expectObservable(second.messages$, '----^').toBe('----b 5000ms |');
    });
  });

  it('completes and errors with the connections Observable', () => {
    marbles().run(({ cold, expectObservable }) => {
      const one = testConnection(lines);
      expectObservable(testServer(cold('-x|', { x: one }))).toBe('-x|', { x: one });
      const failure = new Error('listen EADDRINUSE');
      expectObservable(testServer(cold<TestConnection<string, string>>('--#', undefined, failure))).toBe('--#', undefined, failure);
    });
  });
});
