// The jsocket kit against an independent Python peer, for each generation.
import { firstValueFrom, Subject, VirtualTimeScheduler, type Subscription } from 'rxjs';
import { jsocketClient, jsocketServer, type JsocketClient, type JsocketGeneration } from 'rxjs-socket';
import { runPeer, startPeer } from '../helpers/python-peer';
import { rawClient, readAll } from '../helpers/loopback';

const generations: JsocketGeneration[] = ['v1', 'legacy', 'v2'];

async function serveEcho(generation: JsocketGeneration, mode: 'single' | 'concurrent' = 'single'): Promise<{ port: number; stop: () => void }> {
  const bound = new Subject<number>();
  const port = firstValueFrom(bound);
  const subscription: Subscription = jsocketServer({
    port: 0,
    generation,
    mode,
    onListening: (a) => a.family !== 'unix' && bound.next(a.port),
    handler: (message) => (message === null ? undefined : { echo: message }),
  }).subscribe();
  return { port: await port, stop: () => subscription.unsubscribe() };
}

function openClient(generation: JsocketGeneration, port: number): Promise<{ client: JsocketClient; close: () => void }> {
  return new Promise((resolve, reject) => {
    const subscription = jsocketClient({ port, generation, connectTries: 1 }).subscribe({
      next: (client) => resolve({ client, close: () => subscription.unsubscribe() }),
      error: reject,
    });
  });
}

describe('jsocketServer with a Python jsocket client', () => {
  it.each(generations)('answers every JSON value over %s, non-ASCII included', async (generation) => {
    const server = await serveEcho(generation);
    const values = ['{"a": 1}', '[1, "two"]', '"h\u00e9llo \u4e16\u754c"', '0', 'false', '{}'];
    const replies = await runPeer('jsocket_peer.py', ['client', generation, String(server.port), ...values]);
    expect(replies.map((r) => JSON.parse(r) as unknown)).toEqual(values.map((v) => ({ echo: JSON.parse(v) as unknown })));
    server.stop();
  }, 20_000);

  it('closes a connection that sends a v1 frame to a v2 server, and keeps accepting', async () => {
    const server = await serveEcho('v2');
    const wrong = await rawClient(server.port);
    const ended = readAll(wrong).catch(() => Buffer.alloc(0));
    wrong.write(Buffer.from([0, 0, 0, 2, 0x7b, 0x7d]));
    expect((await ended).length).toBe(0);
    const replies = await runPeer('jsocket_peer.py', ['client', 'v2', String(server.port), '"still here"']);
    expect(replies).toEqual(['{"echo": "still here"}']);
    server.stop();
  }, 20_000);
});

describe('jsocketClient with a Python jsocket server', () => {
  it.each(generations)('sends and reads over %s', async (generation) => {
    const peer = await startPeer('jsocket_peer.py', ['server', generation]);
    const { client, close } = await openClient(generation, peer.port);
    expect(await client.request({ n: 1, text: 'é' }, 5_000)).toEqual({ echo: { n: 1, text: 'é' } });
    expect(await client.request([1, 2], 5_000)).toEqual({ echo: [1, 2] });
    close();
    await peer.stop();
  }, 20_000);

  it('times out a read without closing: the late reply is read next, in order', async () => {
    const peer = await startPeer('jsocket_peer.py', ['server', 'v1']);
    const { client, close } = await openClient('v1', peer.port);
    // null gets no reply: this read times out, and the connection stays usable.
    client.send(null);
    await expect(client.read(50)).rejects.toMatchObject({ code: 'RXSOCKET_ERR_REQUEST_TIMEOUT' });
    client.send('late');
    expect(await client.read(5_000)).toEqual({ echo: 'late' });
    close();
    await peer.stop();
  }, 20_000);

  it('tells a broken connection apart from a timeout', async () => {
    const peer = await startPeer('jsocket_peer.py', ['server', 'v1']);
    const { client, close } = await openClient('v1', peer.port);
    const reading = client.read().catch((e: unknown) => e);
    await peer.stop();
    expect(await reading).toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
    await expect(client.read(10)).rejects.toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
    close();
  }, 20_000);
});

describe('jsocketClient connecting', () => {
  it('retries connecting, retryDelay apart, and gives up with Node’s error after connectTries', async () => {
    const peer = await startPeer('jsocket_peer.py', ['server', 'v1']);
    const port = peer.port;
    await peer.stop();
    const scheduler = new VirtualTimeScheduler();
    const outcome = firstValueFrom(jsocketClient({ port, connectTries: 3, retryDelay: 3_000, scheduler })).catch((e: unknown) => e);
    for (let retry = 0; retry < 2; retry++) {
      for (let turn = 0; turn < 1000 && scheduler.actions.length === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
      scheduler.flush();
    }
    expect(await outcome).toMatchObject({ code: 'ECONNREFUSED' });
    expect(scheduler.now()).toBe(6_000);
  }, 20_000);
});

describe('jsocketServer modes', () => {
  it("serves one client at a time by default, and everyone at once with mode 'concurrent'", async () => {
    for (const mode of ['single', 'concurrent'] as const) {
      const server = await serveEcho('v2', mode);
      const first = await openClient('v2', server.port);
      expect(await first.client.request('first in', 5_000)).toEqual({ echo: 'first in' });
      const second = await openClient('v2', server.port);
      second.client.send('second');
      const answer = second.client.read(mode === 'single' ? 300 : 5_000).then(
        (reply) => reply,
        (error: { code?: string }) => error.code,
      );
      if (mode === 'single') {
        expect(await answer).toBe('RXSOCKET_ERR_REQUEST_TIMEOUT');
        first.close();
        // Served once the first client leaves: its queued request is answered at once.
        expect(await second.client.read(5_000)).toEqual({ echo: 'second' });
      } else {
        expect(await answer).toEqual({ echo: 'second' });
        first.close();
      }
      second.close();
      server.stop();
    }
  }, 20_000);
});

describe('jsocket message size', () => {
  it('keeps the protocol’s own limit, not the json codec’s 1 MiB: a 3 MiB message round-trips over v2', async () => {
    const server = await serveEcho('v2');
    const { client, close } = await openClient('v2', server.port);
    const big = 'j'.repeat(3 * 1024 * 1024);
    expect(await client.request(big, 10_000)).toEqual({ echo: big });
    close();
    server.stop();
  }, 20_000);
});
