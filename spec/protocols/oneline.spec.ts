// The socket-oneline kit against independent Python peers, and its built-in commands.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { firstValueFrom, lastValueFrom, Subject, toArray, VirtualTimeScheduler, type Subscription } from 'rxjs';
import { onelineClient, onelineServer, type OnelineClient, type OnelineLine } from 'rxjs-socket';
import { onelineDemoHandler } from '../../demos/oneline-demos';
import { rawClient, readAll } from '../helpers/loopback';
import { runPeer, startPeer } from '../helpers/python-peer';

async function serve(decoding: 'compat' | 'strict' = 'compat', seen?: OnelineLine[]) {
  const bound = new Subject<number>();
  const port = firstValueFrom(bound);
  let completed = false;
  const subscription: Subscription = onelineServer({
    port: 0,
    decoding,
    onListening: (a) => a.family !== 'unix' && bound.next(a.port),
    handler: (line) => {
      seen?.push(line);
      return onelineDemoHandler(line);
    },
  }).subscribe({ complete: () => (completed = true) });
  return { port: await port, stop: () => subscription.unsubscribe(), completed: () => completed };
}

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe('onelineServer with a Python client', () => {
  it('answers pings, the handler, and flags bytes >= 0x80 as the original does (compat)', async () => {
    const seen: OnelineLine[] = [];
    const server = await serve('compat', seen);
    const replies = await runPeer('oneline_peer.py', ['client', String(server.port), hex('cmd01'), hex('echo hi'), hex('ab\u00edcd'), hex(''), hex('ping\r')]);
    expect(replies).toEqual(['ack', 'hi', 'invalid', 'nak - unknown cmd', 'nak - unknown cmd']);
    expect(seen.map((l) => [l.text, l.invalid])).toEqual([
      ['cmd01', false],
      ['echo hi', false],
      ['abcd', true],
      ['', false],
      ['ping\r', false],
    ]);
    server.stop();
  }, 20_000);

  it('keeps UTF-8 in strict mode', async () => {
    const server = await serve('strict');
    expect(await runPeer('oneline_peer.py', ['client', String(server.port), hex('echo h\u00e9llo'), 'ff'])).toEqual(['héllo', 'invalid']);
    server.stop();
  }, 20_000);
});

describe('onelineServer', () => {
  it('answers several commands of one write in order, with many lines for multi', async () => {
    const server = await serve();
    const socket = await rawClient(server.port);
    const all = readAll(socket);
    socket.write('ping\nmulti 3\ncmd01\ndisconnect\n');
    expect((await all).toString()).toBe('pong\nresp 1\nresp 2\nresp 3\nack\n');
    server.stop();
  }, 10_000);

  it('treats a bare end of stream as a disconnect and serves the next client', async () => {
    const server = await serve();
    const first = await rawClient(server.port);
    const second = await rawClient(server.port);
    const secondAll = readAll(second);
    second.write('cmd01\n');
    first.end('cmd01\n');
    second.end();
    expect((await secondAll).toString()).toBe('ack\n');
    server.stop();
  }, 10_000);

  it('stops listening on shutdown', async () => {
    const server = await serve();
    const socket = await rawClient(server.port);
    const all = readAll(socket);
    socket.write('shutdown\n');
    expect((await all).toString()).toBe('');
    while (!server.completed()) await new Promise((resolve) => setImmediate(resolve));
    await expect(rawClient(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 10_000);
});

describe('onelineClient teardown', () => {
  it('drops its wait for pong, timer included, when unsubscribed first', async () => {
    const scheduler = new VirtualTimeScheduler();
    const silent = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const gotPing = new Promise<void>((resolve) => silent.once('connection', (socket: Socket) => socket.once('data', () => resolve())));
    const subscription = onelineClient({ port: (silent.address() as AddressInfo).port, scheduler }).subscribe({ error: () => undefined });
    await gotPing;
    expect(scheduler.actions).toHaveLength(1);
    subscription.unsubscribe();
    expect(scheduler.actions).toHaveLength(0);
    await new Promise((resolve) => silent.close(resolve));
  }, 10_000);
});

describe('onelineClient with a Python server', () => {
  it('opens with ping/pong and sends disconnect before closing', async () => {
    const peer = await startPeer('oneline_peer.py', ['server']);
    const client = await new Promise<{ client: OnelineClient; subscription: Subscription }>((resolve, reject) => {
      const subscription = onelineClient({ port: peer.port }).subscribe({ next: (c) => resolve({ client: c, subscription }), error: reject });
    });
    const lines = lastValueFrom(client.client.lines$.pipe(toArray()));
    client.client.send('hello');
    client.client.close();
    expect(await lines).toEqual(['got hello']);
    expect(await peer.nextLine()).toBe('client said: ping|hello|disconnect');
    client.subscription.unsubscribe();
    await peer.stop();
  }, 20_000);
});
