// The example of README "Testing your integration", as a test: the README block is this file's
// imports followed by the body of the test below, unindented.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { json, lengthPrefix, serve, StallTimeoutError } from 'rxjs-socket';
import { testConnection, testServer, typedError } from 'rxjs-socket/testing';

it('tests a JSON greeting server in virtual time, a 30-second stall included', () => {
  interface Greeting {
    readonly hello: string;
  }

  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(({ cold, expectObservable }) => {
    const options = { framing: lengthPrefix(), codec: json<Greeting>(), stallTimeout: 30_000, scheduler };
    // One client greets twice and leaves; the other sends 5 bytes of a 13-byte frame, then nothing.
    const polite = testConnection({ ...options, incoming$: cold('-a-b|', { a: { hello: 'ann' }, b: { hello: 'bob' } }) });
    const stuck = testConnection({ ...options, incomingBytes$: cold('x', { x: Uint8Array.of(0, 0, 0, 9, 0x7b) }) });

    // The pipeline under test, as it would run on listen(options): accepted at frames 0 and 2.
    const served$ = testServer(cold('p-s', { p: polite, s: stuck })).pipe(
      serve((greeting: Greeting) => ({ hello: greeting.hello.toUpperCase() })),
    );

    expectObservable(polite.outgoing$).toBe('-a-b|', { a: { hello: 'ANN' }, b: { hello: 'BOB' } });
    expectObservable(served$.pipe(map(({ error }) => error))).toBe('----o 29997ms s', {
      o: undefined,
      s: typedError(StallTimeoutError),
    });
  });
});
