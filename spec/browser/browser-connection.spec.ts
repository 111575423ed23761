// The browser entry's connection and reconnecting client, run in Node on ws's WHATWG-compatible
// WebSocket class against listenWebSocket (the real browser runs them in spec/browser/chromium.spec.ts).
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { WebSocket as WsWebSocket } from 'ws';
import {
  connectWebSocket,
  json,
  raw,
  reconnecting,
  utf8,
  WebSocketClosedError,
  type ClientState,
  type ReconnectingClient,
  type WebSocketConstructor,
} from 'rxjs-socket/browser';
import { eventually, freePort } from '../helpers/loopback';
import { afterTest, open, startWebSocketServer } from '../websocket/websocket-harness';

const WebSocket = WsWebSocket as unknown as WebSocketConstructor;

describe('rxjs-socket/browser connectWebSocket', () => {
  it('exchanges JSON both ways with listenWebSocket, counting queued bytes until they leave', async () => {
    const server = await startWebSocketServer<{ n: number }, { n: number }>({ codec: json() });
    const [client] = await open(connectWebSocket<{ n: number }, { n: number }>(server.url, { codec: json(), WebSocket }));
    const accepted = await server.accepted(0);
    accepted.messages$.subscribe((m) => accepted.sink.next({ n: m.n + 1 }));
    const replies = firstValueFrom(client.messages$.pipe(take(100), toArray()));
    for (let n = 0; n < 100; n++) client.sink.next({ n });
    expect((await replies).map((m) => m.n)).toEqual(Array.from({ length: 100 }, (_, n) => n + 1));
    expect(await eventually(() => client.queuedBytes === 0 && client.queuedMessages === 0)).toBe(true);
  });

  it('sends text or binary frames per codec, and receives both', async () => {
    const server = await startWebSocketServer({ codec: raw() });
    const [text] = await open(connectWebSocket(server.url, { codec: utf8(), WebSocket }));
    const first = await server.accepted(0);
    const [bytes] = await open(connectWebSocket(server.url, { codec: raw(), WebSocket }));
    const second = await server.accepted(1);
    const got = Promise.all([firstValueFrom(first.messages$), firstValueFrom(second.messages$)]);
    text.sink.next('héllo');
    bytes.sink.next(Uint8Array.of(0xff, 0));
    const [a, b] = await got;
    expect(Buffer.from(a).toString()).toBe('héllo');
    expect([...b]).toEqual([0xff, 0]);
    const back = firstValueFrom(text.messages$);
    first.sink.next(Buffer.from('añb'));
    expect(await back).toBe('añb');
  });

  it('holds messages while paused and delivers them in order on resume', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const [client] = await open(connectWebSocket(server.url, { codec: utf8(), WebSocket }));
    const accepted = await server.accepted(0);
    const got: string[] = [];
    client.messages$.subscribe((m) => got.push(m));
    accepted.messages$.subscribe((m) => accepted.sink.next(m));
    client.pause();
    for (let k = 0; k < 10; k++) accepted.sink.next(`m${k}`);
    client.sink.next('round trip');
    // The echo of 'round trip' comes after the ten: once it is held, they all are (a look inside).
    const held = (): number => (client as unknown as { held: unknown[] }).held.length;
    expect(await eventually(() => held() === 11)).toBe(true);
    expect(got).toEqual([]);
    client.resume();
    expect(got).toEqual([...Array.from({ length: 10 }, (_, k) => `m${k}`), 'round trip']);
  });

  it('reports the close code and reason, errors on a code that is not normal, and errors when it cannot open', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const [client] = await open(connectWebSocket(server.url, { codec: utf8(), WebSocket }));
    const accepted = await server.accepted(0);
    accepted.messages$.subscribe({ error: () => undefined });
    const error = firstValueFrom(client.messages$).catch((e: unknown) => e);
    accepted.close(new WebSocketClosedError(4001, 'maintenance'));
    expect(await error).toMatchObject({ code: 'RXSOCKET_ERR_WEBSOCKET_CLOSED', closeCode: 4001, reason: 'maintenance' });
    expect(await firstValueFrom(client.closed$)).toMatchObject({ code: 4001, reason: 'maintenance' });
    const port = await freePort();
    const refused = await firstValueFrom(connectWebSocket(`ws://127.0.0.1:${port}`, { WebSocket })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WebSocketClosedError);
    expect(refused).toMatchObject({ closeCode: 1006 });
  });

  it('reconnecting survives a server restart and sends what was buffered, in order', async () => {
    const port = await freePort();
    const received: string[] = [];
    const start = async () => {
      const server = await startWebSocketServer({ port, codec: utf8() });
      server.connections$.subscribe((c) => c.messages$.subscribe({ next: (m) => received.push(m), error: () => undefined }));
      return server;
    };
    const first = await start();
    let client: ReconnectingClient<string, string> | undefined;
    const subscription = reconnecting<string, string>({
      url: `ws://127.0.0.1:${port}`,
      codec: utf8(),
      WebSocket,
      backoff: { initial: 5, max: 20 },
    }).subscribe((c) => (client = c));
    afterTest(() => subscription.unsubscribe());
    const c = client as ReconnectingClient<string, string>;
    const status = (wanted: ClientState['status']) => firstValueFrom(c.state$.pipe(filter((s) => s.status === wanted)));
    await status('connected');
    c.sink.next('one');
    expect(await eventually(() => received.length === 1)).toBe(true);
    const down = status('disconnected');
    first.stop();
    await down;
    c.sink.next('two');
    c.sink.next('three');
    const up = status('connected');
    await start();
    await up;
    expect(await eventually(() => received.length === 3)).toBe(true);
    expect(received).toEqual(['one', 'two', 'three']);
  });
});
