// Issue 16, item 2: a connection that only writes (nobody subscribed to messages$) notices the
// peer's end or reset at once, without losing what arrived before the first subscription.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { connect, delimiter, utf8, type CloseInfo, type Connection } from 'rxjs-socket';
import { testConnection } from 'rxjs-socket/testing';
import { TestScheduler } from 'rxjs/testing';
import { eventually } from '../helpers/loopback';

/** A raw server that hands each accepted socket to `accepted`. */
async function rawServer(accepted: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(accepted);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function connectLines(port: number): Promise<Connection<string, string>> {
  return new Promise((resolve, reject) => {
    connect({ port, framing: delimiter(), codec: utf8() }).subscribe({ next: resolve, error: reject });
  });
}

/** Milliseconds until `closed$` emits, with what it reported. */
async function timeToClose(connection: Connection<string, string>): Promise<{ ms: number; info: CloseInfo }> {
  const start = Date.now();
  const info = await firstValueFrom(connection.closed$);
  return { ms: Date.now() - start, info };
}

describe('a connection nobody reads', () => {
  it.each([
    ['ends (FIN)', (socket: Socket) => socket.end(), undefined],
    ['resets (RST)', (socket: Socket) => socket.resetAndDestroy(), 'ECONNRESET'],
  ])('sees the peer that %s within 1 s and reports what it could not send', async (_, hangUp, code) => {
    let peer: Socket | undefined;
    const { server, port } = await rawServer((socket) => {
      peer = socket;
      socket.once('data', () => hangUp(socket));
    });
    const connection = await connectLines(port);
    connection.sink.next('first');
    const closed = await timeToClose(connection);
    expect(closed.ms).toBeLessThan(1_000);
    expect((closed.info.error as NodeJS.ErrnoException | undefined)?.code).toBe(code);
    connection.sink.next('after the end');
    expect(connection.lateMessages).toBe(1);
    expect(peer).toBeDefined();
    server.close();
  }, 10_000);

  it('still gives everything received before the first subscription, then the end', async () => {
    const { server, port } = await rawServer((socket) => socket.end('one\ntwo\n'));
    const connection = await connectLines(port);
    await firstValueFrom(connection.closed$);
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(['one', 'two']);
    server.close();
  }, 10_000);

  it('stops reading after maxHeldBytes until somebody subscribes, and loses nothing', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => `line ${i} ${'x'.repeat(90)}`);
    let written: Promise<unknown> = Promise.resolve();
    const { server, port } = await rawServer((socket) => {
      written = new Promise((resolve) => socket.once('finish', resolve));
      socket.end(lines.map((line) => `${line}\n`).join(''));
    });
    const connection = await new Promise<Connection<string, string>>((resolve) =>
      connect({ port, framing: delimiter(), codec: utf8(), maxHeldBytes: 10_000 }).subscribe(resolve),
    );
    expect(await eventually(() => (connection.traffic?.bytesIn ?? 0) >= 10_000)).toBe(true);
    await written;
    expect(await eventually(() => (connection.traffic?.bytesIn ?? 0) >= 200_000, 100)).toBe(false);
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(lines);
    server.close();
  }, 10_000);

  it('reads ahead again once a subscriber took held messages and left (first(), take(n))', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => `line ${i} ${'x'.repeat(90)}`);
    const { server, port } = await rawServer((socket) => socket.end(lines.map((line) => `${line}\n`).join('')));
    const connection = await new Promise<Connection<string, string>>((resolve) =>
      connect({ port, framing: delimiter(), codec: utf8(), maxHeldBytes: 10_000 }).subscribe(resolve),
    );
    expect(await eventually(() => (connection.traffic?.bytesIn ?? 0) >= 10_000)).toBe(true);
    const before = connection.traffic?.bytesIn ?? 0;
    const heldLines = Math.floor(before / 100);
    // Takes all but a few of the held messages and leaves: fewer than maxHeldBytes are held now.
    const taken = await firstValueFrom(connection.messages$.pipe(take(heldLines - 5), toArray()));
    expect(taken).toEqual(lines.slice(0, heldLines - 5));
    expect(await eventually(() => (connection.traffic?.bytesIn ?? 0) > before)).toBe(true);
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(lines.slice(heldLines - 5));
    server.close();
  }, 10_000);

  it('tells the watchers of its sink that it closed, as complete even on a reset (the error is on closed$)', async () => {
    const ends: string[] = [];
    for (const hangUp of [(socket: Socket) => socket.end(), (socket: Socket) => socket.resetAndDestroy()]) {
      const { server, port } = await rawServer((socket) => socket.once('data', () => hangUp(socket)));
      const connection = await connectLines(port);
      const seen: string[] = [];
      const watched = new Promise<string>((resolve) =>
        connection.sink.subscribe({
          next: (message) => seen.push(message),
          complete: () => resolve(`complete after ${seen.join(',')}`),
          error: (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`),
        }),
      );
      connection.sink.next('hello');
      ends.push(await watched);
      server.close();
    }
    expect(ends).toEqual(['complete after hello', 'complete after hello']);
  }, 10_000);

  it('holds nothing with maxHeldBytes 0 (the peer end is seen once messages$ is read)', async () => {
    let written: Promise<unknown> = Promise.resolve();
    const { server, port } = await rawServer((socket) => {
      written = new Promise((resolve) => socket.once('finish', resolve));
      socket.end('one\n');
    });
    const connection = await new Promise<Connection<string, string>>((resolve) =>
      connect({ port, framing: delimiter(), codec: utf8(), maxHeldBytes: 0 }).subscribe(resolve),
    );
    await written;
    expect(await eventually(() => (connection.traffic?.bytesIn ?? 0) > 0, 100)).toBe(false);
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(['one']);
    server.close();
  }, 10_000);

  it('sees the peer end of a test connection opened but never read', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const connection = testConnection({ codec: utf8(), incoming$: cold('-a-|', { a: 'hi' }) });
      connection.open();
      expectObservable(connection.outgoing$).toBe('---|');
      expectObservable(connection.closed$).toBe('---(c|)', { c: { error: undefined, unsentBytes: 0, unsentMessages: 0 } });
    });
  });
});
