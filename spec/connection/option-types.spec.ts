// Issue 16, item 11: a single codec serves both directions only when In and Out are one type.
// These lines are checked by `tsc` (npm test's typecheck): a `@ts-expect-error` that stops being
// an error fails the build.
import { connect, json, listen, utf8, type Codec } from 'rxjs-socket';
import { testConnection } from 'rxjs-socket/testing';

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

  it('infer the message type of a test connection from its codec', () => {
    const connection = testConnection({ codec: json<{ n: number }>() });
    const codec: Codec<{ n: number }> = json();
    connection.sink.next({ n: 1 });
    // @ts-expect-error the codec says { n: number }
    connection.sink.next('text');
    expect(codec.name).toBe('json');
    connection.destroy();
  });
});
