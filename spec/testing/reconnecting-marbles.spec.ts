// Proof (c) in virtual time: a reconnecting client's buffer across a disconnect, with test
// connections handed to it through `connector` (no socket, no port).
import { map, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { delimiter, reconnecting, utf8, type Connection } from 'rxjs-socket';
import { connectionReset, testConnection, typedError } from 'rxjs-socket/testing';

describe('reconnecting (marbles)', () => {
  it('keeps what the sink gets while disconnected and sends it, in order, on the next connection', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const lines = { framing: delimiter(), codec: utf8(), scheduler };
      const first = testConnection<string>({ ...lines, incoming$: cold<string>('--#', undefined, connectionReset()) });
      const second = testConnection<string>(lines);
      const attempts: Array<Observable<Connection<string, string>>> = [of(first), of(second)];
      reconnecting({
        ...lines,
        backoff: { initial: 100, jitter: 0 },
        connector: () => attempts.shift() as Observable<Connection<string, string>>,
      }).subscribe((client) => {
        cold('-a-b 100ms c').subscribe((line) => client.sink.next(line));
        expectObservable(client.state$.pipe(map((s) => s.status))).toBe('a-b 99ms (cd)', {
          a: 'connected',
          b: 'disconnected',
          c: 'connecting',
          d: 'connected',
        });
      });
      expectObservable(first.outgoing$).toBe('-a#', { a: 'a' }, typedError({ code: 'ECONNRESET' }));
      expectObservable(second.outgoing$).toBe('102ms b-c', { b: 'b', c: 'c' });
    });
  });
});
