// Proof (b): requester() over a test connection in virtual time: a request times out, and the
// requests still pending fail when the connection ends.
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLostError, json, requester, RequestTimeoutError } from 'rxjs-socket';
import { connectionReset, testConnection, typedError } from 'rxjs-socket/testing';

interface Call {
  readonly id: number;
  readonly method: string;
}

interface Reply {
  readonly id: number;
  readonly result: number;
}

const byId = { requestId: (call: Call) => call.id, replyId: (reply: Reply) => reply.id };

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('requester over a test connection', () => {
  it('times a request out after 30 s and fails the pending ones with ConnectionLostError when the peer ends', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      // The peer answers call 1 at frame 4, never answers the others, and ends at 45 s.
      const connection = testConnection<Reply, Call>({ codec: { in: json(), out: json() }, scheduler, incoming$: cold('----a 44995ms |', { a: { id: 1, result: 42 } }) });
      const rpc = requester(connection, { correlation: byId, timeout: 30_000, scheduler });

      expectObservable(rpc.request({ id: 1, method: 'answer' })).toBe('----(a|)', { a: { id: 1, result: 42 } });
      expectObservable(rpc.request({ id: 2, method: 'slow' })).toBe('30s #', undefined, typedError(RequestTimeoutError));
      expectObservable(rpc.request({ id: 3, method: 'late' }), '20s ^').toBe(
        '45s #',
        undefined,
        typedError({ type: ConnectionLostError, code: 'RXSOCKET_ERR_CONNECTION_LOST' }),
      );
      expectObservable(connection.outgoing$).toBe('(ab) 19996ms c 24999ms |', {
        a: { id: 1, method: 'answer' },
        b: { id: 2, method: 'slow' },
        c: { id: 3, method: 'late' },
      });
    });
  });

  it('fails pending requests with the reset as cause, and later requests at once', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const connection = testConnection<Reply, Call>({ codec: { in: json(), out: json() }, scheduler, incoming$: cold('--#', undefined, connectionReset()) });
      const rpc = requester(connection, { correlation: byId, timeout: 30_000, scheduler });
      const lost = typedError({ type: ConnectionLostError, cause: { code: 'ECONNRESET', message: 'read ECONNRESET' } });

      expectObservable(rpc.request({ id: 1, method: 'sum' })).toBe('--#', undefined, lost);
      expectObservable(rpc.request({ id: 2, method: 'sum' }), '-----^').toBe('-----#', undefined, lost);
      expectObservable(connection.outgoing$).toBe('a-#', { a: { id: 1, method: 'sum' } }, typedError({ code: 'ECONNRESET' }));
    });
  });
});
