// serve, requester, reconnecting and pool work unchanged on WebSocket connections.
import { filter, firstValueFrom, lastValueFrom, mergeMap, range, Subject, toArray, type Subscription } from 'rxjs';
import { json, pool, reconnecting, requester, serve, utf8, WebSocketRefusedError, type ClientState, type Pool, type ReconnectingClient } from 'rxjs-socket';
import { typedError } from 'rxjs-socket/testing';
import { connectWebSocket, listenWebSocket } from 'rxjs-socket/websocket';
import { eventually, freePort } from '../helpers/loopback';
import { afterTest, open } from './websocket-harness';

interface Msg {
  id: number;
  text: string;
}

/** A `serve` echo server (upper-casing) on `port`, resolved once it is bound. */
function upperServer(port: number, received: string[] = []): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const subscription: Subscription = listenWebSocket<Msg, Msg>({ port, codec: json<Msg>(), onListening: () => resolve(subscription) })
      .pipe(
        serve((m) => {
          received.push(m.text);
          return { id: m.id, text: m.text.toUpperCase() };
        }),
      )
      .subscribe({ error: reject });
    afterTest(() => subscription.unsubscribe());
  });
}

describe('conversations over WebSocket', () => {
  it('serve answers and requester matches the replies by id', async () => {
    const port = await freePort();
    await upperServer(port);
    const [connection] = await open(connectWebSocket<Msg, Msg>(`ws://127.0.0.1:${port}`, { codec: json<Msg>() }));
    const requests = requester(connection, { correlation: { requestId: (m) => m.id, replyId: (m) => m.id } });
    const replies = await lastValueFrom(range(0, 20).pipe(mergeMap((id) => requests.request({ id, text: `m${id}` })), toArray()));
    expect(replies.sort((a, b) => a.id - b.id)).toEqual(Array.from({ length: 20 }, (_, id) => ({ id, text: `M${id}` })));
  });

  it('reconnecting with a WebSocket connector delivers messages buffered across a server restart, in order', async () => {
    const port = await freePort();
    const received: string[] = [];
    const server = await upperServer(port, received);
    let client: ReconnectingClient<Msg, Msg> | undefined;
    const subscription = reconnecting<Msg, Msg>({
      codec: json<Msg>(),
      backoff: { initial: 5, max: 20 },
      connector: () => connectWebSocket<Msg, Msg>(`ws://127.0.0.1:${port}`, { codec: json<Msg>() }),
    }).subscribe((c) => (client = c));
    afterTest(() => subscription.unsubscribe());
    const c = client as ReconnectingClient<Msg, Msg>;
    const status = (wanted: ClientState['status']): Promise<ClientState> => firstValueFrom(c.state$.pipe(filter((s) => s.status === wanted)));
    await status('connected');
    const replies = new Subject<Msg>();
    c.messages$.subscribe(replies);
    for (let id = 0; id < 50; id++) c.sink.next({ id, text: `before ${id}` });
    expect(await eventually(() => received.length === 50)).toBe(true);
    const disconnected = status('disconnected');
    server.unsubscribe();
    await disconnected;
    for (let id = 50; id < 100; id++) c.sink.next({ id, text: `during ${id}` });
    const reconnected = status('connected');
    await upperServer(port, received);
    await reconnected;
    expect(await eventually(() => received.length === 100)).toBe(true);
    expect(received).toEqual([...Array.from({ length: 50 }, (_, k) => `before ${k}`), ...Array.from({ length: 50 }, (_, k) => `during ${k + 50}`)]);
  });

  it('pool keeps N WebSocket connections and spreads requests over them', async () => {
    const port = await freePort();
    let accepted = 0;
    await new Promise<void>((resolve) => {
      const subscription = listenWebSocket<Msg, Msg>({ port, codec: json<Msg>(), onListening: () => resolve() }).subscribe((connection) => {
        const index = accepted++;
        connection.messages$.subscribe({ next: (m) => connection.sink.next({ id: m.id, text: `${index}` }), error: () => undefined });
      });
      afterTest(() => subscription.unsubscribe());
    });
    let members: Pool<Msg, Msg> | undefined;
    const subscription = pool<Msg, Msg>({
      size: 3,
      codec: json<Msg>(),
      requests: { correlation: { requestId: (m) => m.id, replyId: (m) => m.id }, maxInFlight: 1 },
      connector: () => connectWebSocket<Msg, Msg>(`ws://127.0.0.1:${port}`, { codec: json<Msg>() }),
    }).subscribe((p) => (members = p));
    afterTest(() => subscription.unsubscribe());
    const p = members as Pool<Msg, Msg>;
    expect(await eventually(() => p.connected === 3)).toBe(true);
    const replies = await lastValueFrom(range(0, 30).pipe(mergeMap((id) => p.request({ id, text: '' })), toArray()));
    expect(new Set(replies.map((r) => r.text)).size).toBe(3);
  });

  it('typedError from rxjs-socket/testing matches the WebSocket errors', async () => {
    const port = await freePort();
    await new Promise<void>((resolve) => {
      const subscription = listenWebSocket({ port, codec: utf8(), authorize: () => 403, onListening: () => resolve() }).subscribe();
      afterTest(() => subscription.unsubscribe());
    });
    const error = await lastValueFrom(connectWebSocket(`ws://127.0.0.1:${port}`)).catch((e: unknown) => e);
    expect(error).toEqual(typedError({ type: WebSocketRefusedError, code: 'RXSOCKET_ERR_WEBSOCKET_REFUSED' }));
    expect(error).toMatchObject({ status: 403 });
  });
});
