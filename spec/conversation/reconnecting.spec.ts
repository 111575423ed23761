import { createServer, type AddressInfo, type Server } from 'node:net';
import { filter, firstValueFrom, take, toArray, VirtualTimeScheduler, type Subscription } from 'rxjs';
import {
  BufferOverflowError,
  delimiter,
  HeartbeatTimeoutError,
  listen,
  reconnecting,
  ReconnectFailedError,
  utf8,
  type ClientState,
  type ReconnectingClient,
  type UnsentMessage,
} from 'rxjs-socket';
import { freePort } from '../helpers/loopback';

/** A line server on `port` recording every line it gets, across restarts. */
function lineServer(port: number, lines: string[]): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const subscription = listen({ port, framing: delimiter(), codec: utf8(), onListening: () => resolve(subscription) }).subscribe({
      next: (c) => c.messages$.subscribe({ next: (line) => lines.push(line), error: () => undefined }),
      error: reject,
    });
  });
}

function open<In, Out>(client$: ReturnType<typeof reconnecting<In, Out>>): [ReconnectingClient<In, Out>, Subscription] {
  let client: ReconnectingClient<In, Out> | undefined;
  const subscription = client$.subscribe((c) => (client = c));
  return [client as ReconnectingClient<In, Out>, subscription];
}

const status = <In, Out>(client: ReconnectingClient<In, Out>, wanted: ClientState['status']): Promise<ClientState> =>
  firstValueFrom(client.state$.pipe(filter((s) => s.status === wanted)));

describe('reconnecting', () => {
  it('delivers 10,000 messages buffered across a server restart, in order, none twice', async () => {
    const port = await freePort();
    const lines: string[] = [];
    let server = await lineServer(port, lines);
    const [client, subscription] = open(
      reconnecting({ host: '127.0.0.1', port, framing: delimiter(), codec: utf8(), backoff: { initial: 5, max: 20 } }),
    );
    await status(client, 'connected');
    for (let k = 0; k < 100; k++) client.sink.next(`before ${k}`);
    const disconnected = status(client, 'disconnected');
    server.unsubscribe();
    await disconnected;
    for (let k = 0; k < 10_000; k++) client.sink.next(`during ${k}`);
    expect(client.bufferedMessages).toBeGreaterThan(0);
    const reconnected = status(client, 'connected');
    server = await lineServer(port, lines);
    await reconnected;
    const expected = [...Array.from({ length: 100 }, (_, k) => `before ${k}`), ...Array.from({ length: 10_000 }, (_, k) => `during ${k}`)];
    while (lines.length < expected.length) await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(expected);
    subscription.unsubscribe();
    server.unsubscribe();
  }, 20_000);

  it('backs off exponentially in virtual time and gives up after maxAttempts, reporting what it buffered', async () => {
    const scheduler = new VirtualTimeScheduler();
    const port = await freePort();
    const [client] = open(
      reconnecting({ host: '127.0.0.1', port, codec: utf8(), scheduler, backoff: { initial: 100, factor: 2, jitter: 0, maxAttempts: 3 } }),
    );
    const states: Array<ClientState & { at: number }> = [];
    client.state$.subscribe((s) => states.push({ ...s, at: scheduler.now() }));
    const unsent: Array<UnsentMessage<string>> = [];
    client.unsent$.subscribe((u) => unsent.push(u));
    const gaveUp = firstValueFrom(client.messages$).catch((e: unknown) => e);
    client.sink.next('never sent');
    for (let failures = 1; failures <= 2; failures++) {
      await firstValueFrom(client.state$.pipe(filter((s) => s.status === 'disconnected' && s.failures === failures)));
      scheduler.flush();
    }
    const error = await gaveUp;
    expect(error).toBeInstanceOf(ReconnectFailedError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_RECONNECT_FAILED', attempts: 3, cause: expect.objectContaining({ code: 'ECONNREFUSED' }) as unknown });
    expect(states.filter((s) => s.status === 'connecting').map((s) => s.at)).toEqual([0, 100, 300]);
    expect(states.at(-1)?.status).toBe('failed');
    expect(unsent).toEqual([{ message: 'never sent', error }]);
  }, 10_000);

  it("reports the newest message as unsent when the buffer is full, or the oldest with 'drop-oldest'", async () => {
    const port = await freePort();
    for (const [policy, dropped] of [['drop-newest', 'c'], ['drop-oldest', 'a']] as const) {
      const [client, subscription] = open(
        reconnecting({ host: '127.0.0.1', port, codec: utf8(), maxBufferedMessages: 2, whenBufferFull: policy, backoff: { initial: 60_000 } }),
      );
      const unsent = firstValueFrom(client.unsent$);
      ['a', 'b', 'c'].forEach((m) => client.sink.next(m));
      const report = await unsent;
      expect(report.message).toBe(dropped);
      expect(report.error).toBeInstanceOf(BufferOverflowError);
      expect(client.bufferedMessages).toBe(2);
      const closing = firstValueFrom(client.unsent$.pipe(take(2), toArray()));
      subscription.unsubscribe();
      expect((await closing).map((u) => u.error.code)).toEqual(['RXSOCKET_ERR_CONNECTION_LOST', 'RXSOCKET_ERR_CONNECTION_LOST']);
    }
  }, 10_000);

  it('takes a silent peer for dead after the heartbeat timeout and reconnects', async () => {
    const scheduler = new VirtualTimeScheduler();
    const silent: Server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const [client, subscription] = open(
      reconnecting({
        host: '127.0.0.1',
        port,
        framing: delimiter(),
        codec: utf8(),
        scheduler,
        backoff: { initial: 1_000, jitter: 0 },
        heartbeat: { interval: 1_000, timeout: 3_000, message: () => 'ping', isReply: (m) => m === 'pong' },
      }),
    );
    await status(client, 'connected');
    const dead = status(client, 'disconnected');
    scheduler.maxFrames = 3_000;
    scheduler.flush();
    const state = await dead;
    expect(state.error).toBeInstanceOf(HeartbeatTimeoutError);
    expect(scheduler.now()).toBe(3_000);
    const again = status(client, 'connected');
    scheduler.maxFrames = Infinity;
    scheduler.schedule(() => undefined, 1_000);
    scheduler.flush();
    await again;
    subscription.unsubscribe();
    await new Promise((resolve) => silent.close(resolve));
  }, 10_000);
});
