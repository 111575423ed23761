import { firstValueFrom, lastValueFrom, mergeMap, range, toArray, type Subscription } from 'rxjs';
import { json, pool, type Connection, type Pool } from 'rxjs-socket';
import { eventually, startServer } from '../helpers/loopback';

interface Msg {
  id: number;
  served?: number;
}

/** Resolves once `check` holds (event-loop turns, bounded); throws if it never does. */
async function until(check: () => boolean): Promise<void> {
  if (!(await eventually(check))) throw new Error('condition never held');
}

describe('pool', () => {
  it('spreads requests over its connections, survives one being killed, and closes them all on teardown', async () => {
    const server = await startServer<Msg, Msg>({ codec: json<Msg>() });
    const live = new Set<Connection<Msg, Msg>>();
    let accepted = 0;
    server.connections$.subscribe((connection) => {
      const index = accepted++;
      live.add(connection);
      connection.closed$.subscribe(() => live.delete(connection));
      connection.messages$.subscribe({ next: (m) => connection.sink.next({ id: m.id, served: index }), error: () => undefined });
    });
    let members: Pool<Msg, Msg> | undefined;
    const subscription: Subscription = pool<Msg>({
      host: '127.0.0.1',
      port: server.port,
      codec: json<Msg>(),
      size: 4,
      backoff: { initial: 5 },
      requests: { correlation: { requestId: (m) => m.id, replyId: (m) => m.id }, maxInFlight: 1 },
    }).subscribe((p) => (members = p));
    const p = members as Pool<Msg, Msg>;
    await until(() => p.connected === 4 && live.size === 4);

    const batch = (from: number) => lastValueFrom(range(from, 40).pipe(mergeMap((id) => p.request({ id })), toArray()));
    const first = await batch(0);
    expect(new Set(first.map((r) => r.served)).size).toBe(4);

    const victim = [...live][0] as Connection<Msg, Msg>;
    victim.destroy();
    await until(() => live.size === 4 && accepted === 5 && p.connected === 4);
    const second = await batch(100);
    expect(second.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, k) => 100 + k));
    expect(second.every((r) => r.served !== 0)).toBe(true);

    subscription.unsubscribe();
    await until(() => live.size === 0);
    await expect(firstValueFrom(p.request({ id: 999 }))).rejects.toMatchObject({
      code: 'RXSOCKET_ERR_CONNECTION_LOST',
    });
    server.stop();
  }, 10_000);
});

describe('pool with nothing to connect to', () => {
  it('fails a request still waiting for a connection when the pool is unsubscribed', async () => {
    const server = await startServer<Msg, Msg>({});
    const port = server.port;
    server.stop();
    let members: Pool<Msg, Msg> | undefined;
    const subscription = pool<Msg>({ host: '127.0.0.1', port, codec: json<Msg>(), size: 2, backoff: { initial: 60_000 } }).subscribe(
      (p) => (members = p),
    );
    const waiting = firstValueFrom((members as Pool<Msg, Msg>).request({ id: 1 })).catch((e: unknown) => e);
    subscription.unsubscribe();
    expect(await waiting).toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
  }, 10_000);
});
