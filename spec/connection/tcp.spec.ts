// connect() and listen() over real TCP on 127.0.0.1, port 0.
import { createServer, Server, Socket, type AddressInfo } from 'node:net';
import { catchError, EMPTY, firstValueFrom, lastValueFrom, mergeMap, Observable, of, retry, switchMap, take, tap, toArray, VirtualTimeScheduler, type Subscription } from 'rxjs';
import {
  connect,
  delimiter,
  FrameTooLargeError,
  headerPrefix,
  json,
  lengthPrefix,
  listen,
  RxSocketError,
  UnexpectedEndError,
  ConnectTimeoutError,
  DecodeError,
  utf8,
  type Framing,
} from 'rxjs-socket';
import { rechunk } from 'rxjs-socket/testing';
import { freePort, openClient, rawClient, readAll, socketClosed, startServer } from '../helpers/loopback';

const framings: Array<[string, () => Framing]> = [
  ['length-prefix', () => lengthPrefix()],
  ['delimiter', () => delimiter()],
  ['header-prefix', () => headerPrefix({ magic: 'JSN1', checksum: 'crc32' })],
];

async function writeBytes(socket: import('node:net').Socket, chunks: readonly Uint8Array[]): Promise<void> {
  for (const chunk of chunks) await new Promise<void>((resolve, reject) => socket.write(chunk, (e) => (e ? reject(e) : resolve())));
}

describe('connect() and listen() over TCP', () => {
  it.each(framings)('round-trips JSON messages both ways with %s framing', async (_, framing) => {
    const server = await startServer({ framing: framing(), codec: json() });
    const echo = server.connections$
      .pipe(mergeMap((c) => c.messages$.pipe(tap((m) => c.sink.next({ echo: m })))))
      .subscribe();
    const messages = [{ a: 1 }, 'é', [true, null], 0];
    const replies = await firstValueFrom(
      connect({ host: '127.0.0.1', port: server.port, framing: framing(), codec: json() }).pipe(
        switchMap((connection) => {
          messages.forEach((m) => connection.sink.next(m));
          return connection.messages$;
        }),
        take(messages.length),
        toArray(),
      ),
    );
    expect(replies).toEqual(messages.map((m) => ({ echo: m })));
    echo.unsubscribe();
    server.stop();
  }, 10_000);

  it.each(framings)('decodes %s frames written one byte at a time and coalesced', async (_, framing) => {
    const server = await startServer({ framing: framing(), codec: utf8() });
    const payloads = ['one', 'two', 'three'];
    const wire = Buffer.concat(payloads.flatMap((p) => framing().encodeFrame(Buffer.from(p))));
    for (const chunks of [rechunk(wire, [1]), [Buffer.concat([wire, wire])]]) {
      const client = await rawClient(server.port);
      const connection = await server.accepted(chunks.length === 1 ? 1 : 0);
      const received = lastValueFrom(connection.messages$.pipe(toArray()));
      await writeBytes(client, chunks);
      client.end();
      expect(await received).toEqual(chunks.length === 1 ? [...payloads, ...payloads] : payloads);
      await socketClosed(client);
    }
    server.stop();
  }, 10_000);

  it('loses nothing sent between accept and the first subscription', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8() });
    const client = await rawClient(server.port);
    const connection = await server.accepted(0);
    await writeBytes(client, [Buffer.from('early 1\nearly 2\n')]);
    client.end();
    await new Promise((resolve) => client.once('finish', resolve));
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(['early 1', 'early 2']);
    server.stop();
  }, 10_000);

  it('completes messages$ on the peer FIN and keeps the sink writable with allowHalfOpen', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8(), allowHalfOpen: true });
    const client = await rawClient(server.port);
    const reply = readAll(client);
    const connection = await server.accepted(0);
    const received = lastValueFrom(connection.messages$.pipe(toArray()));
    client.end('question\n');
    expect(await received).toEqual(['question']);
    connection.sink.next('answer after your FIN');
    connection.sink.complete();
    expect((await reply).toString()).toBe('answer after your FIN\n');
    expect(await firstValueFrom(connection.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
    server.stop();
  }, 10_000);

  it('ends its side after flushing when the peer ends, without allowHalfOpen', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8() });
    const client = await rawClient(server.port);
    const reply = readAll(client);
    const connection = await server.accepted(0);
    connection.messages$.subscribe((m) => connection.sink.next(`re: ${m}`));
    client.end('a\nb\n');
    expect((await reply).toString()).toBe('re: a\nre: b\n');
    server.stop();
  }, 10_000);

  it('reports a peer reset mid-frame with Node’s ECONNRESET while other connections carry on', async () => {
    const server = await startServer({ framing: lengthPrefix(), codec: utf8() });
    // Each connection's errors stay with that connection (catchError inside mergeMap).
    const echo = server.connections$
      .pipe(mergeMap((c) => c.messages$.pipe(tap((m) => c.sink.next(m)), catchError(() => EMPTY))))
      .subscribe();
    const victim = await rawClient(server.port);
    const victimConnection = await server.accepted(0);
    const received: string[] = [];
    const failure = lastValueFrom(victimConnection.messages$.pipe(tap((m) => received.push(m)))).catch((e: unknown) => e);
    // A whole frame, then half of the next; reset once the whole one has arrived.
    const firstArrived = firstValueFrom(victimConnection.messages$);
    await writeBytes(victim, [Buffer.from([0, 0, 0, 2, 79, 75, 0, 0, 0, 10, 65, 66])]);
    await firstArrived;
    victim.resetAndDestroy();
    const error = await failure;
    expect(error).not.toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(received).toEqual(['OK']);
    const reply = await firstValueFrom(
      connect({ host: '127.0.0.1', port: server.port, codec: utf8() }).pipe(
        switchMap((c) => {
          c.sink.next('still here');
          return c.messages$;
        }),
      ),
    );
    expect(reply).toBe('still here');
    echo.unsubscribe();
    server.stop();
  }, 10_000);

  it('errors with UnexpectedEndError when the peer ends mid-frame', async () => {
    const server = await startServer({ framing: lengthPrefix(), codec: utf8() });
    const client = await rawClient(server.port);
    const connection = await server.accepted(0);
    const failure = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    client.end(Buffer.from([0, 0, 0, 10, 65]));
    const error = await failure;
    expect(error).toBeInstanceOf(UnexpectedEndError);
    expect(error).toMatchObject({ have: 5, need: 14 });
    expect(await firstValueFrom(connection.closed$)).toMatchObject({ error });
    server.stop();
  }, 10_000);

  it('closes a connection whose peer declares a frame over the limit, and keeps accepting', async () => {
    const server = await startServer({ framing: lengthPrefix({ maxFrameBytes: 100 }), codec: utf8() });
    const bad = await rawClient(server.port);
    const badConnection = await server.accepted(0);
    const failure = lastValueFrom(badConnection.messages$).catch((e: unknown) => e);
    const closedByServer = readAll(bad);
    bad.write(Buffer.from([0, 0, 1, 0]));
    expect(await failure).toBeInstanceOf(FrameTooLargeError);
    await closedByServer.catch(() => undefined);
    const good = await rawClient(server.port);
    expect(await server.accepted(1)).toBeDefined();
    good.destroy();
    server.stop();
  }, 10_000);

  it('closes a connection sending JSON over the json codec limit (1 MiB) before parsing it, and serves the others', async () => {
    const server = await startServer({ framing: lengthPrefix(), codec: json() });
    const served = server.connections$
      .pipe(mergeMap((c) => c.messages$.pipe(tap((m) => c.sink.next({ echo: m })), catchError(() => EMPTY))))
      .subscribe();
    const heavy = await rawClient(server.port);
    heavy.on('error', () => undefined);
    const heavyConnection = await server.accepted(0);
    const failure = lastValueFrom(heavyConnection.messages$).catch((e: unknown) => e);
    // 2 MiB of JSON: within the framing's 16 MiB, over the codec's 1 MiB.
    const text = Buffer.from(JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) }));
    heavy.write(Buffer.concat(lengthPrefix().encodeFrame(text)));

    const error = await failure;
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: text.length, max: 1024 * 1024 });
    await socketClosed(heavy);
    const reply = await firstValueFrom(
      connect({ host: '127.0.0.1', port: server.port, codec: json() }).pipe(
        switchMap((c) => {
          c.sink.next({ small: true });
          return c.messages$;
        }),
      ),
    );
    expect(reply).toEqual({ echo: { small: true } });
    served.unsubscribe();
    server.stop();
  }, 10_000);

  it('fails with ConnectTimeoutError when the TLS handshake never completes within connectTimeout (virtual time)', async () => {
    const scheduler = new VirtualTimeScheduler();
    const mute = createServer((socket) => socket.on('error', () => undefined)); // accepts TCP, never speaks TLS
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => mute.once('connection', resolve));
    const outcome = firstValueFrom(
      connect({ host: '127.0.0.1', port: (mute.address() as AddressInfo).port, tls: {}, connectTimeout: 10_000, scheduler }),
    ).catch((e: unknown) => e);
    await accepted;
    scheduler.flush();
    const error = await outcome;
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_CONNECT_TIMEOUT', timeout: 10_000 });
    expect(scheduler.now()).toBe(10_000);
    await new Promise((resolve) => mute.close(resolve));
  }, 10_000);

  it('closes a connection with a DecodeError when a frame is not valid for the codec, and keeps accepting', async () => {
    const server = await startServer({ framing: delimiter(), codec: json() });
    const client = await rawClient(server.port);
    const connection = await server.accepted(0);
    const failure = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    client.on('error', () => undefined);
    client.write('{"ok":1}\n{not json\n');
    const error = await failure;
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_DECODE', frameBytes: 9 });
    await socketClosed(client);
    const next = await rawClient(server.port);
    expect(await server.accepted(1)).toBeDefined();
    next.destroy();
    server.stop();
  }, 10_000);

  it('fails with Node’s ECONNREFUSED when nothing listens', async () => {
    const port = await freePort();
    await expect(firstValueFrom(connect({ host: '127.0.0.1', port }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 10_000);

  it('reconnects with retry(): each subscription opens a fresh socket', async () => {
    const port = await freePort();
    const failures: unknown[] = [];
    let server: Subscription | undefined;
    const greeting = await firstValueFrom(
      connect({ host: '127.0.0.1', port, codec: utf8() }).pipe(
        switchMap((c) => c.messages$),
        retry({
          count: 5,
          delay: (error: unknown, attempt) => {
            failures.push(error);
            if (attempt < 2) return of(0);
            // Only now start the server: the third attempt finds it.
            return new Observable<void>((bound) => {
              server = listen({ port, codec: utf8(), onListening: () => bound.next() }).subscribe((c) => c.sink.next('welcome'));
            });
          },
        }),
      ),
    );
    expect(greeting).toBe('welcome');
    expect(failures).toEqual([expect.objectContaining({ code: 'ECONNREFUSED' }), expect.objectContaining({ code: 'ECONNREFUSED' })]);
    server?.unsubscribe();
  }, 10_000);

  it('sets TCP_NODELAY by default and TCP keepalive when asked', async () => {
    const server = await startServer({});
    const noDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const keepAlive = jest.spyOn(Socket.prototype, 'setKeepAlive');
    const { connection, close } = await openClient(connect({ host: '127.0.0.1', port: server.port, keepAlive: 10_000 }));
    expect(noDelay).toHaveBeenCalledWith(true);
    expect(keepAlive).toHaveBeenCalledWith(true, 10_000);
    noDelay.mockRestore();
    keepAlive.mockRestore();
    server.stop();
    close();
    await firstValueFrom(connection.closed$);
  }, 10_000);

  it('has the server turn Nagle off (and keepalive on, when asked) on each accepted handle', async () => {
    // Node keeps a server's handle options on it (`noDelay`, `keepAlive`, the delay in seconds).
    const listening = jest.spyOn(Server.prototype, 'listen');
    const servers = listening.mock.contexts as Array<Server & { noDelay?: boolean; keepAlive?: boolean; keepAliveInitialDelay?: number }>;
    const perSocket = jest.spyOn(Socket.prototype, 'setNoDelay');
    const server = await startServer({ keepAlive: 5_000 });
    const nagle = await startServer({ noDelay: false });
    const client = await rawClient(server.port);
    try {
      const serverSide = await server.accepted(0);
      // Set once by the server on the handle: no call per accepted socket.
      expect(perSocket).not.toHaveBeenCalled();
      expect(servers[0]).toMatchObject({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 5 });
      expect(servers[1]).toMatchObject({ noDelay: false, keepAlive: false });
      client.destroy();
      await firstValueFrom(serverSide.closed$);
    } finally {
      listening.mockRestore();
      perSocket.mockRestore();
      client.destroy();
      server.stop();
      nagle.stop();
    }
  }, 10_000);

  it('knows both addresses', async () => {
    const server = await startServer({});
    const connection = await firstValueFrom(connect({ host: '127.0.0.1', port: server.port }));
    expect(connection.remoteAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    const serverSide = await server.accepted(0);
    expect(serverSide.localAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    expect(serverSide.remoteAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: connection.localAddress?.family === 'IPv4' ? connection.localAddress.port : -1 });
    server.stop();
    connection.close();
    await firstValueFrom(connection.closed$);
  }, 10_000);

  it('still knows the addresses of a server connection after it closed, when nobody asked before', async () => {
    const server = await startServer({});
    const client = await rawClient(server.port);
    const clientPort = client.localPort;
    const serverSide = await server.accepted(0);
    client.destroy();
    await firstValueFrom(serverSide.closed$);
    expect(serverSide.localAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    expect(serverSide.remoteAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: clientPort });
    server.stop();
  }, 10_000);
});
