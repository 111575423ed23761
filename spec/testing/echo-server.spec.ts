// Proof (a): a length-prefixed JSON echo server built with serve(), tested with marbles in virtual time.
import { delay, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DecodeError, json, lengthPrefix, serve } from 'rxjs-socket';
import { testConnection, testServer, typedError, type TestConnection } from 'rxjs-socket/testing';

interface Note {
  readonly id: number;
  readonly text: string;
}

const options = { framing: lengthPrefix(), codec: json<Note>() };

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('a length-prefixed JSON echo server (serve)', () => {
  it('echoes each client in the frame its message arrives and ends it with the client', () => {
    marbles().run(({ cold, expectObservable }) => {
      const notes = { a: { id: 1, text: 'one' }, b: { id: 2, text: 'two' }, c: { id: 3, text: 'three' } };
      const first = testConnection({ ...options, incoming$: cold('-a-b|', notes) });
      const second = testConnection({ ...options, incoming$: cold('--c---|', notes) });
      const served$ = testServer(cold('a--b', { a: first, b: second })).pipe(serve((note: Note) => note));

      expectObservable(first.outgoing$).toBe('-a-b|', notes);
      // Accepted at frame 3: its cold messages count from there.
      expectObservable(second.outgoing$).toBe('-----c---|', notes);
      expectObservable(served$).toBe('----x----y', { x: { connection: first, error: undefined }, y: { connection: second, error: undefined } });
    });
  });

  it('closes only the client that sends bytes that are not JSON, with a DecodeError', () => {
    marbles().run(({ cold, expectObservable }) => {
      const good = testConnection({ ...options, incoming$: cold('---a|', { a: { id: 1, text: 'fine' } }) });
      const bad = testConnection({ ...options, incomingBytes$: cold('-x', { x: Uint8Array.of(0, 0, 0, 2, 0x7b, 0x7b) }) });
      const served$ = testServer(cold('(ab)', { a: good, b: bad })).pipe(serve((note: Note) => note));

      expectObservable(bad.outgoing$).toBe('-|');
      expectObservable(bad.closed$).toBe('-(c|)', { c: { error: typedError(DecodeError), unsentBytes: 0, unsentMessages: 0 } });
      expectObservable(good.outgoing$).toBe('---a|', { a: { id: 1, text: 'fine' } });
      expectObservable(served$.pipe(map(({ connection, error }) => [connection === good ? 'good' : 'bad', error]))).toBe('-b--g', {
        b: ['bad', typedError({ type: DecodeError, code: 'RXSOCKET_ERR_DECODE' })],
        g: ['good', undefined],
      });
    });
  });

  it('sends replies produced after the client half-closes only with allowHalfOpen', () => {
    let closing: TestConnection<Note, Note> | undefined;
    marbles().run(({ cold, expectObservable }) => {
      const note = { id: 7, text: 'later' };
      const halfOpen = testConnection({ ...options, allowHalfOpen: true, incoming$: cold('a|', { a: note }) });
      closing = testConnection({ ...options, incoming$: cold('a|', { a: note }) });
      const slowEcho = (n: Note) => of(n).pipe(delay(10));
      testServer(cold('(ab)', { a: halfOpen, b: closing })).pipe(serve(slowEcho)).subscribe();

      expectObservable(halfOpen.outgoing$).toBe('10ms (a|)', { a: note });
      // Without allowHalfOpen the end of the client's stream ends this side too: the reply is late.
      expectObservable(closing.outgoing$).toBe('-|');
    });
    expect(closing?.lateMessages).toBe(1);
  });
});
