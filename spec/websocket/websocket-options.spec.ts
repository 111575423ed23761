import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { firstValueFrom, lastValueFrom, VirtualTimeScheduler } from 'rxjs';
import { ConnectTimeoutError, InvalidOptionError, json } from 'rxjs-socket';
import { connectWebSocket, listenWebSocket } from 'rxjs-socket/websocket';
import { WebSocket } from 'ws';
import { eventually } from '../helpers/loopback';
import { afterTest, open, startWebSocketServer } from './websocket-harness';

describe('WebSocket options', () => {
  it('throw InvalidOptionError for a port and a server together, neither, or a bad heartbeat or messageType', () => {
    const server = createHttpServer();
    expect(() => listenWebSocket({ port: 0, server })).toThrow(InvalidOptionError);
    expect(() => listenWebSocket({})).toThrow(InvalidOptionError);
    expect(() => listenWebSocket({ port: 0, heartbeat: { interval: 0 } })).toThrow(InvalidOptionError);
    expect(() => connectWebSocket('ws://127.0.0.1:1', { heartbeat: { timeout: -1 } })).toThrow(InvalidOptionError);
    expect(() => connectWebSocket('ws://127.0.0.1:1', { messageType: 'utf16' as 'text' })).toThrow(InvalidOptionError);
    expect(() => connectWebSocket('ws://127.0.0.1:1', { connectTimeout: 0 })).toThrow(InvalidOptionError);
  });

  it('lets messageType send a text codec as binary frames', async () => {
    const server = await startWebSocketServer({ codec: json(), messageType: 'binary' });
    const plain = new WebSocket(server.url);
    afterTest(() => plain.terminate());
    const frame = new Promise<boolean>((resolve) => plain.once('message', (_data, isBinary) => resolve(isBinary)));
    (await server.accepted(0)).sink.next({ a: 1 });
    expect(await frame).toBe(true);
  });

  it('compresses with perMessageDeflate when both ends turn it on, delivering the same messages', async () => {
    const server = await startWebSocketServer({ codec: json<{ text: string }>(), perMessageDeflate: true });
    const [client] = await open(connectWebSocket<{ text: string }, { text: string }>(server.url, { codec: json(), perMessageDeflate: true }));
    const accepted = await server.accepted(0);
    const text = 'repetitive '.repeat(1000);
    const got = firstValueFrom(accepted.messages$);
    client.sink.next({ text });
    expect(await got).toEqual({ text });
    expect(await eventually(() => client.queuedBytes === 0)).toBe(true);
  });

  it('sends no ping with heartbeat: false', async () => {
    const scheduler = new VirtualTimeScheduler();
    const server = await startWebSocketServer({ codec: json(), heartbeat: false, scheduler });
    const plain = new WebSocket(server.url);
    afterTest(() => plain.terminate());
    const accepted = await server.accepted(0);
    accepted.messages$.subscribe({ error: () => undefined });
    const got = firstValueFrom(accepted.messages$);
    if (plain.readyState !== WebSocket.OPEN) await new Promise((resolve) => plain.once('open', resolve));
    plain.send('{"ok":true}');
    expect(await got).toEqual({ ok: true });
    expect(scheduler.actions).toEqual([]); // no ping timer while reading
  });

  it('fails connectWebSocket with ConnectTimeoutError when the upgrade never completes', async () => {
    const silent = createServer((socket) => afterTest(() => socket.destroy())); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    afterTest(() => {
      silent.close();
    });
    const port = (silent.address() as AddressInfo).port;
    const error = await lastValueFrom(connectWebSocket(`ws://127.0.0.1:${port}`, { connectTimeout: 50 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(error).toMatchObject({ timeout: 50 });
  });
});
