// Issue 16, item 11: a single codec serves both directions only when In and Out are one type.
// These lines are checked by `tsc` (npm test's typecheck): a `@ts-expect-error` that stops being
// an error fails the build.
import { of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { acquire, connect, json, listen, listening, pool, reconnecting, utf8, type Codec, type Connection } from 'rxjs-socket';
import { testConnection, type TestConnection } from 'rxjs-socket/testing';

describe('connection option types', () => {
  it('refuse one codec for two different message types, and accept a pair', () => {
    const typeOnly = (): void => {
      // @ts-expect-error a Codec<string> cannot decode numbers
      listen<string, number>({ port: 0, codec: utf8() });
      // @ts-expect-error nor encode them
      connect<number, string>({ port: 1, codec: utf8() });
      listen<string, number>({ port: 0, codec: { in: utf8(), out: json<number>() } });
      listen({ port: 0, codec: utf8() });
      // @ts-expect-error listen needs a port or a path (it throws without one)
      listen({ codec: utf8() });
      listen({ path: '/tmp/app.sock' });
    };
    expect(typeof typeOnly).toBe('function');
  });

  it('require a port or a path where connect needs one (it throws without)', () => {
    const typeOnly = (connector: () => Observable<Connection<string, string>>): void => {
      // @ts-expect-error connect needs a port or a path
      connect({ codec: utf8() });
      // @ts-expect-error a host alone is not enough
      connect({ host: 'example.org', codec: utf8() });
      connect({ port: 7000, codec: utf8() });
      connect({ host: 'example.org', port: 7000 });
      connect({ path: '/tmp/app.sock' });
      // @ts-expect-error reconnecting connects with connect() unless given a connector
      reconnecting({ codec: utf8() });
      reconnecting({ port: 7000, codec: utf8() });
      reconnecting({ connector, codec: utf8() });
      // @ts-expect-error so does pool()
      pool({ size: 2, codec: utf8() });
      pool({ size: 2, path: '/tmp/app.sock', codec: utf8() });
      pool({ size: 2, connector });
    };
    expect(typeof typeOnly).toBe('function');
  });

  it('give a port-0 server a port that is a number', () => {
    const typeOnly = async (): Promise<number> => {
      const { value: server } = await acquire(listening({ port: 0, codec: utf8() }));
      return server.port; // no `undefined` to rule out before connect({ port: server.port })
    };
    expect(typeof typeOnly).toBe('function');
  });

  it('infer the message type of a test connection from its codec', () => {
    const connection = testConnection({ codec: json<{ n: number }>() });
    const codec: Codec<{ n: number }> = json();
    connection.sink.next({ n: 1 });
    // @ts-expect-error the codec says { n: number }
    connection.sink.next('text');
    expect(codec.name).toBe('json');
    connection.destroy();
  });

  it('take the message type of a test connection from the codec, not from the marble values', () => {
    interface Msg {
      n: number;
      kind?: 'ping' | 'pong';
    }
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold }) => {
      const lines: TestConnection<string, string> = testConnection({ codec: utf8(), incoming$: cold('-a|') });
      // Marble values are checked against Msg (their `kind` is not widened to string).
      const typed: TestConnection<Msg, Msg> = testConnection({ codec: json<Msg>(), incoming$: cold('-a|', { a: { n: 1, kind: 'ping' } }) });
      // @ts-expect-error a number is not a line: one short error on incoming$, not on the codec
      testConnection({ codec: utf8(), incoming$: of(1) });
      // @ts-expect-error nor a marble value of the wrong shape
      testConnection({ codec: json<Msg>(), incoming$: cold('-a|', { a: { n: 'one' } }) });
      expect([lines, typed]).toHaveLength(2);
    });
  });
});
