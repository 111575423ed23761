// Proof: the socket-oneline server's built-in commands and handler, as marbles, with the kit only.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { onelineCodec, onelineFraming, serveOneline, type OnelineLine } from 'rxjs-socket';
import { testConnection, testServer } from 'rxjs-socket/testing';
import { onelineDemoHandler } from '../../demos/oneline-demos';

const line = (text: string): OnelineLine => ({ text, invalid: false });

describe('serveOneline (marbles)', () => {
  it('answers ping and the handler, closes on disconnect, and stops serving on shutdown', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const options = { framing: onelineFraming(), codec: onelineCodec('compat'), scheduler };
      // The first client's bytes go through the real framing and the compat decoding: 0xED is dropped, the line flagged.
      const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
      const first = testConnection({
        ...options,
        incomingBytes$: cold('-p-c-m----i-e-d|', {
          p: bytes('ping\n'),
          c: bytes('cmd01\n'),
          m: bytes('multi 2\n'),
          i: bytes('ab\xedcd\n'),
          e: bytes('\n'),
          d: bytes('disconnect\n'),
        }),
      });
      const second = testConnection({ ...options, incoming$: cold('-e-s-x', { e: line('echo hi'), s: line('shutdown'), x: line('ping') }) });
      const served$ = testServer(cold('a 12ms b', { a: first, b: second })).pipe(serveOneline(onelineDemoHandler));

      expectObservable(first.outgoing$).toBe('-p-c-(mn)-i-e-|', {
        p: 'pong',
        c: 'ack',
        m: 'resp 1',
        n: 'resp 2',
        i: 'invalid',
        e: 'nak - unknown cmd',
      });
      expectObservable(second.outgoing$).toBe('13ms -e-|', { e: 'hi' });
      // The first client ends cleanly after its disconnect; shutdown completes the server stream.
      expectObservable(served$.pipe(map(({ error }) => error ?? 'clean'))).toBe('15ms a|', { a: 'clean' });
    });
  });
});
