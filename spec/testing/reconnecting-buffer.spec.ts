// Proof (c), as far as it goes without a TCP port: reconnecting() always opens its sockets with
// connect(), so its buffer across a disconnect is tested over a Unix socket in a fresh temp dir
// (real streams: the test waits on the client's states), with its backoff on a virtual scheduler.
// A marble version needs a connect factory in ReconnectingOptions (see the kit's README section).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, Observable, VirtualTimeScheduler, type Subscription } from 'rxjs';
import {
  BufferOverflowError,
  delimiter,
  listen,
  reconnecting,
  ReconnectFailedError,
  utf8,
  type ClientState,
  type ReconnectingClient,
  type UnsentMessage,
} from 'rxjs-socket';
import { settle, typedError } from 'rxjs-socket/testing';

const lines = { framing: delimiter(), codec: utf8() };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxs-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A line server at `path` that records what it receives; resolves once it listens. */
function lineServer(path: string, received: string[]): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const subscription = listen({ path, ...lines, onListening: () => resolve(subscription) }).subscribe({
      next: (connection) => connection.messages$.subscribe({ next: (line) => received.push(line), error: () => undefined }),
      error: reject,
    });
  });
}

function open<In, Out>(client$: Observable<ReconnectingClient<In, Out>>): [ReconnectingClient<In, Out>, Subscription] {
  let client: ReconnectingClient<In, Out> | undefined;
  const subscription = client$.subscribe((c) => (client = c));
  return [client as ReconnectingClient<In, Out>, subscription];
}

const state = <In, Out>(client: ReconnectingClient<In, Out>, wanted: (s: ClientState) => boolean): Promise<ClientState> =>
  firstValueFrom(client.state$.pipe(filter(wanted)));

describe('a reconnecting client’s buffer (Unix socket, no port)', () => {
  it('keeps what the sink gets while disconnected and sends it in order after reconnecting', async () => {
    const scheduler = new VirtualTimeScheduler();
    const path = join(dir, 'server.sock');
    const received: string[] = [];
    let server = await lineServer(path, received);
    const [client, subscription] = open(reconnecting({ path, ...lines, scheduler, backoff: { initial: 1_000, jitter: 0 } }));
    await state(client, (s) => s.status === 'connected');
    client.sink.next('before');
    while (received.length < 1) await settle(1);

    const disconnected = state(client, (s) => s.status === 'disconnected');
    server.unsubscribe();
    await disconnected;
    for (const line of ['during 1', 'during 2', 'during 3']) client.sink.next(line);
    expect(client.bufferedMessages).toBe(3);

    server = await lineServer(path, received);
    const connected = state(client, (s) => s.status === 'connected');
    scheduler.flush();
    expect(scheduler.now()).toBe(1_000);
    await connected;
    client.sink.next('after');
    for (let turns = 0; received.length < 5 && turns < 1_000; turns++) await settle(1);
    expect(received).toEqual(['before', 'during 1', 'during 2', 'during 3', 'after']);
    expect(client.bufferedMessages).toBe(0);
    subscription.unsubscribe();
    server.unsubscribe();
  }, 10_000);

  it('reports an overflow at once and the rest of its buffer, in order, when it gives up', async () => {
    const scheduler = new VirtualTimeScheduler();
    const path = join(dir, 'nobody.sock');
    const [client] = open(reconnecting({ path, ...lines, scheduler, maxBufferedMessages: 2, backoff: { initial: 100, jitter: 0, maxAttempts: 2 } }));
    const unsent: Array<UnsentMessage<string>> = [];
    client.unsent$.subscribe((u) => unsent.push(u));
    const gaveUp = firstValueFrom(client.messages$).catch((e: unknown) => e);
    for (const line of ['a', 'b', 'c']) client.sink.next(line);
    expect(unsent).toEqual([{ message: 'c', error: typedError({ type: BufferOverflowError, code: 'RXSOCKET_ERR_BUFFER_OVERFLOW' }) }]);

    await state(client, (s) => s.status === 'disconnected' && s.failures === 1);
    scheduler.flush();
    const failure = typedError({ type: ReconnectFailedError, code: 'RXSOCKET_ERR_RECONNECT_FAILED', cause: { code: 'ENOENT' } });
    expect(await gaveUp).toEqual(failure);
    expect(unsent.slice(1)).toEqual([
      { message: 'a', error: failure },
      { message: 'b', error: failure },
    ]);
    expect(client.bufferedMessages).toBe(0);
  }, 10_000);
});
