import { firstValueFrom, lastValueFrom, take, toArray, VirtualTimeScheduler } from 'rxjs';
import { WebSocket } from 'ws';
import { HeartbeatTimeoutError, json, QueueOverflowError, raw, utf8, WebSocketClosedError, FrameTooLargeError } from 'rxjs-socket';
import { connectWebSocket } from 'rxjs-socket/websocket';
import { eventually } from '../helpers/loopback';
import { afterTest, open, startWebSocketServer } from './websocket-harness';

/** A plain `ws` client, open. */
async function wsClient(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  afterTest(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

const closedWith = (ws: WebSocket): Promise<[number, string]> =>
  new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));

describe('WebSocketConnection', () => {
  it('notices the server closing while nobody reads messages$, and still gives what came before', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const [client] = await open(connectWebSocket(server.url, { codec: utf8() }));
    const accepted = await server.accepted(0);
    accepted.sink.next('bye');
    accepted.close();
    const start = Date.now();
    const info = await firstValueFrom(client.closed$);
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(info).toMatchObject({ error: undefined, code: 1000 });
    expect(await lastValueFrom(client.messages$.pipe(toArray()))).toEqual(['bye']);
  }, 10_000);

  it('echoes JSON messages both ways, as text frames', async () => {
    const server = await startWebSocketServer({ codec: json<{ n: number }>() });
    const [client, close] = await open(connectWebSocket(server.url, { codec: json<{ n: number }>() }));
    const accepted = await server.accepted(0);
    accepted.messages$.subscribe((m) => accepted.sink.next({ n: m.n * 10 }));
    const replies = firstValueFrom(client.messages$.pipe(take(3), toArray()));
    for (const n of [1, 2, 3]) client.sink.next({ n });
    expect(await replies).toEqual([{ n: 10 }, { n: 20 }, { n: 30 }]);
    // The server speaks first just as well.
    const greeting = firstValueFrom(client.messages$);
    accepted.sink.next({ n: 0 });
    expect(await greeting).toEqual({ n: 0 });

    const plain = await wsClient(server.url);
    const frame = new Promise<[string, boolean]>((resolve) => plain.once('message', (data, isBinary) => resolve([(data as Buffer).toString(), isBinary])));
    const second = await server.accepted(1);
    second.sink.next({ n: 7 });
    expect(await frame).toEqual(['{"n":7}', false]);
    plain.close();
    close();
    server.stop();
  });

  it('sends raw() messages as binary frames and delivers any frame as bytes', async () => {
    const server = await startWebSocketServer({ codec: raw() });
    const plain = await wsClient(server.url);
    const accepted = await server.accepted(0);
    const frame = new Promise<[Buffer, boolean]>((resolve) => plain.once('message', (data, isBinary) => resolve([data as Buffer, isBinary])));
    accepted.sink.next(Uint8Array.of(1, 2, 3));
    expect(await frame).toEqual([Buffer.from([1, 2, 3]), true]);
    const got = firstValueFrom(accepted.messages$.pipe(take(2), toArray()));
    plain.send('text');
    plain.send(Buffer.from([9]));
    expect((await got).map((m) => Buffer.from(m).toString('hex'))).toEqual(['74657874', '09']);
    plain.close();
    server.stop();
  });

  it('stops reading while paused: the sender becomes unwritable, then gets everything in order after resume()', async () => {
    const server = await startWebSocketServer({ codec: raw(), maxQueuedBytes: 8 * 1024 * 1024 });
    const [client, close] = await open(connectWebSocket(server.url, { codec: raw() }));
    const accepted = await server.accepted(0);
    const received: number[] = [];
    client.messages$.subscribe((m) => received.push(m[0] as number));
    client.pause();
    const chunk = 1024 * 1024;
    let sent = 0;
    const unwritable = firstValueFrom(accepted.writable$.pipe(take(2), toArray()));
    while (accepted.writable && sent < 200) accepted.sink.next(Buffer.alloc(chunk, sent++ % 256));
    // The paused client read nothing more: the kernel buffers filled and the server queued the rest.
    expect(await unwritable).toEqual([true, false]);
    expect(accepted.queuedBytes).toBeGreaterThan(4 * chunk);
    expect(accepted.queuedBytes).toBeLessThanOrEqual(8 * chunk);
    expect(received.length).toBeLessThan(sent);
    const flushed = firstValueFrom(accepted.flushed$);
    client.resume();
    await flushed;
    expect(accepted.writable).toBe(true);
    expect(await eventually(() => received.length === sent)).toBe(true);
    expect(received).toEqual(Array.from({ length: sent }, (_, k) => k % 256));
    close();
    server.stop();
  });

  it('refuses a message past maxQueuedBytes with QueueOverflowError and reports the unsent', async () => {
    const server = await startWebSocketServer({ codec: raw(), maxQueuedBytes: 4 * 1024 * 1024 });
    const [client, close] = await open(connectWebSocket(server.url, { codec: raw() }));
    const accepted = await server.accepted(0);
    const closed = firstValueFrom(accepted.closed$);
    // The client never subscribes: it reads nothing, so once the kernel buffers are full the
    // server's queue only grows.
    const chunk = 512 * 1024;
    let sent = 0;
    while (accepted.writable && sent < 400) {
      accepted.sink.next(Buffer.alloc(chunk, 1));
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(accepted.writable).toBe(false);
    while (accepted.queuedBytes + chunk <= 4 * 1024 * 1024) accepted.sink.next(Buffer.alloc(chunk, 1));
    expect(accepted.lateMessages).toBe(0);
    accepted.sink.next(Buffer.alloc(chunk, 2));
    const info = await closed;
    expect(info.error).toBeInstanceOf(QueueOverflowError);
    expect(info.error).toMatchObject({ code: 'RXSOCKET_ERR_QUEUE_OVERFLOW', max: 4 * 1024 * 1024 });
    expect(accepted.lateMessages).toBe(1);
    expect(info.unsentMessages).toBeGreaterThanOrEqual(2);
    expect(info.unsentBytes).toBeGreaterThan(0);
    void client;
    close();
    server.stop();
  });

  it('reports the close code and reason in closed$, and errors messages$ on a code that is not normal', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const plain = await wsClient(server.url);
    const accepted = await server.accepted(0);
    const messages = lastValueFrom(accepted.messages$).catch((e: unknown) => e);
    const closed = firstValueFrom(accepted.closed$);
    plain.close(4001, 'bye now');
    expect(await closed).toMatchObject({ code: 4001, reason: 'bye now', unsentMessages: 0 });
    const error = await messages;
    expect(error).toBeInstanceOf(WebSocketClosedError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_WEBSOCKET_CLOSED', closeCode: 4001, reason: 'bye now' });

    // A normal close completes messages$; close() with a WebSocketClosedError sends its code.
    const second = await wsClient(server.url);
    const other = await server.accepted(1);
    const done = lastValueFrom(other.messages$, { defaultValue: 'none' });
    const peerSaw = closedWith(second);
    second.close(1000, 'done');
    expect(await done).toBe('none');
    expect(await firstValueFrom(other.closed$)).toMatchObject({ code: 1000, reason: 'done', error: undefined });
    expect(await peerSaw).toEqual([1000, 'done']);

    const third = await wsClient(server.url);
    const last = await server.accepted(2);
    const thirdSaw = closedWith(third);
    last.close(new WebSocketClosedError(4403, 'not allowed any more'));
    expect(await thirdSaw).toEqual([4403, 'not allowed any more']);
    expect(await firstValueFrom(last.closed$)).toMatchObject({ code: 4403 });
    server.stop();
  });

  it('maps maxFrameBytes to maxPayload: a larger message fails the receiving side and is refused on send', async () => {
    const server = await startWebSocketServer({ codec: raw(), maxFrameBytes: 1000 });
    const [client, close] = await open(connectWebSocket(server.url, { codec: raw(), maxFrameBytes: 1000 }));
    const accepted = await server.accepted(0);
    const serverError = lastValueFrom(accepted.messages$).catch((e: unknown) => e);
    const plain = await wsClient(server.url);
    const second = await server.accepted(1);
    const secondError = lastValueFrom(second.messages$).catch((e: unknown) => e);
    const plainSaw = closedWith(plain);
    plain.send(Buffer.alloc(1001));
    expect(await secondError).toMatchObject({ code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' });
    expect((await plainSaw)[0]).toBe(1009);
    // On send: refused before anything is queued, and the connection fails with the typed error.
    const clientClosed = firstValueFrom(client.closed$);
    client.sink.next(Buffer.alloc(1001));
    expect((await clientClosed).error).toBeInstanceOf(FrameTooLargeError);
    expect(await serverError).toBeInstanceOf(WebSocketClosedError);
    close();
    server.stop();
  });

  it('fails a connection whose peer stops answering pings, on the connection scheduler', async () => {
    const scheduler = new VirtualTimeScheduler();
    const server = await startWebSocketServer({ codec: utf8(), scheduler, heartbeat: { interval: 30_000, timeout: 10_000 } });
    const plain = await wsClient(server.url);
    const accepted = await server.accepted(0);
    const closed = firstValueFrom(accepted.closed$);
    accepted.messages$.subscribe({ error: () => undefined });
    const pinged = new Promise<void>((resolve) => plain.once('ping', () => resolve()));
    scheduler.maxFrames = 30_000;
    scheduler.flush();
    await pinged;
    // The ws client answers the ping by itself: once the pong is in, the deadline is gone.
    expect(await eventually(() => scheduler.actions.length === 1 && (scheduler.actions[0]?.delay ?? 0) === 60_000)).toBe(true);
    scheduler.maxFrames = 55_000;
    scheduler.flush();
    expect(await Promise.race([closed.then(() => 'closed'), new Promise((r) => setImmediate(() => r('open')))])).toBe('open');
    // A peer that reads nothing answers nothing.
    plain.pause();
    scheduler.maxFrames = 60_000;
    scheduler.flush();
    scheduler.maxFrames = 70_000;
    scheduler.flush();
    const info = await closed;
    expect(info.error).toBeInstanceOf(HeartbeatTimeoutError);
    expect(info.error).toMatchObject({ timeout: 10_000 });
    expect(info.code).toBe(1006);
    plain.terminate();
    server.stop();
  });
});
