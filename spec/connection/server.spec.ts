// listen(): admission policies, batching of bursts, and teardown that leaves nothing behind.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { catchError, EMPTY, firstValueFrom, lastValueFrom, mergeMap, take, tap, toArray, VirtualTimeScheduler } from 'rxjs';
import { DEFAULT_QUEUE_IDLE_TIMEOUT, delimiter, fromSocket, IdleTimeoutError, lengthPrefix, listen, utf8 } from 'rxjs-socket';
import { eventually, rawClient, readAll, socketClosed, startServer } from '../helpers/loopback';

/** Resolves with the first complete line `socket` receives. */
function nextLine(socket: Socket): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const at = text.indexOf('\n');
      if (at === -1) return;
      socket.removeListener('data', onData);
      resolve(text.slice(0, at));
    };
    socket.on('data', onData);
  });
}

/** Counts of the TCP handles this process holds. */
function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}


describe('listen()', () => {
  it('serves one client at a time with singleClient, then the waiting ones in arrival order', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8(), singleClient: true });
    const serving = server.connections$
      .pipe(mergeMap((c, index) => c.messages$.pipe(tap((m) => c.sink.next(`client ${index}: ${m}`)), catchError(() => EMPTY))))
      .subscribe();
    const first = await rawClient(server.port);
    first.write('ping\n');
    expect(await nextLine(first)).toBe('client 0: ping');
    const second = await rawClient(server.port);
    const third = await rawClient(server.port);
    const secondReply = nextLine(second);
    const thirdReply = nextLine(third);
    second.write('am I served?\n');
    third.write('me too?\n');
    // Prove the waiting clients are unanswered: the first one is still served meanwhile.
    first.write('still mine\n');
    expect(await nextLine(first)).toBe('client 0: still mine');
    let secondAnswered = false;
    void secondReply.then(() => (secondAnswered = true));
    expect(secondAnswered).toBe(false);
    first.end();
    expect(await secondReply).toBe('client 1: am I served?');
    second.end();
    expect(await thirdReply).toBe('client 2: me too?');
    third.end();
    serving.unsubscribe();
    server.stop();
    await Promise.all([first, second, third].map(socketClosed));
  }, 10_000);

  it("closes clients past maxConnections at once with whenFull: 'reject'", async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8(), maxConnections: 1 });
    const kept = await rawClient(server.port);
    await server.accepted(0);
    const refused = await rawClient(server.port);
    const refusedEnd = readAll(refused).then(
      () => 'ended',
      (e: NodeJS.ErrnoException) => e.code,
    );
    expect(['ended', 'ECONNRESET']).toContain(await refusedEnd);
    kept.destroy();
    server.stop();
  }, 10_000);

  it('drops a client that waited waitTimeout for its turn; the served one goes on', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8(), singleClient: true, waitTimeout: 100 });
    const serving = server.connections$.pipe(mergeMap((c) => c.messages$.pipe(tap((m) => c.sink.next(m)), catchError(() => EMPTY)))).subscribe();
    const served = await rawClient(server.port);
    await server.accepted(0);
    const waiting = await rawClient(server.port);
    waiting.write('let me in\n');
    const dropped = readAll(waiting).then(
      (bytes) => `ended with ${bytes.length} bytes`,
      (e: NodeJS.ErrnoException) => e.code,
    );

    expect(['ended with 0 bytes', 'ECONNRESET']).toContain(await dropped);
    served.write('still here\n');
    expect(await nextLine(served)).toBe('still here');
    served.end();
    await socketClosed(served);
    serving.unsubscribe();
    server.stop();
  }, 10_000);

  it('closes an idle client of a singleClient server after 30 s by default, and serves the next one', async () => {
    const scheduler = new VirtualTimeScheduler();
    const server = await startServer({ framing: delimiter(), codec: utf8(), singleClient: true, scheduler });
    const errors: unknown[] = [];
    const serving = server.connections$
      .pipe(mergeMap((c) => c.messages$.pipe(tap((m) => c.sink.next(`got ${m}`)), catchError((e: unknown) => (errors.push(e), EMPTY)))))
      .subscribe();
    const silent = await rawClient(server.port);
    silent.on('error', () => undefined);
    await server.accepted(0);
    const next = await rawClient(server.port);
    const answer = nextLine(next);
    next.write('ping\n');

    scheduler.maxFrames = DEFAULT_QUEUE_IDLE_TIMEOUT; // virtual time up to the idle deadline, not to the wait deadline
    scheduler.flush();
    await socketClosed(silent);

    expect(DEFAULT_QUEUE_IDLE_TIMEOUT).toBe(30_000);
    expect(errors).toEqual([expect.any(IdleTimeoutError)]);
    expect(errors[0]).toMatchObject({ code: 'RXSOCKET_ERR_IDLE_TIMEOUT', timeout: 30_000 });
    expect(await answer).toBe('got ping');
    next.end();
    await socketClosed(next);
    serving.unsubscribe();
    server.stop();
  }, 10_000);

  it('caps connections and closes silent ones with one option each (maxConnections, idleTimeout)', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8(), maxConnections: 3, idleTimeout: 100 });
    const failures: unknown[] = [];
    const serving = server.connections$
      .pipe(mergeMap((c) => c.messages$.pipe(catchError((e: unknown) => (failures.push(e), EMPTY)))))
      .subscribe();
    const silent = await Promise.all([1, 2, 3, 4, 5].map(() => rawClient(server.port)));
    for (const socket of silent) socket.on('error', () => undefined);
    // Two are refused at once, three are closed once idle: none stays open.
    await Promise.all(silent.map(socketClosed));

    expect(failures).toHaveLength(3);
    for (const failure of failures) expect(failure).toMatchObject({ code: 'RXSOCKET_ERR_IDLE_TIMEOUT', timeout: 100 });
    serving.unsubscribe();
    server.stop();
  }, 10_000);

  it('sends a burst of 1,000 messages in a few writes, not one per message', async () => {
    const sink = createServer();
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => sink.once('connection', resolve));
    const socket = await rawClient((sink.address() as AddressInfo).port);
    const peer = await accepted;
    const received = readAll(peer);
    const connection = fromSocket(socket, { framing: lengthPrefix(), codec: utf8() });
    const writes = jest.spyOn(socket, 'write');
    for (let k = 0; k < 1000; k++) connection.sink.next(`message ${k}`);
    connection.sink.complete();
    const bytes = await received;
    expect(writes.mock.calls.length).toBeLessThanOrEqual(2);
    const decoded = lengthPrefix().createDecoder().push(bytes).map((f) => Buffer.from(f).toString());
    expect(decoded).toEqual(Array.from({ length: 1000 }, (_, k) => `message ${k}`));
    await firstValueFrom(connection.closed$);
    sink.close();
  }, 10_000);

  it('fails with Node’s EADDRINUSE when the port is taken', async () => {
    const server = await startServer({});
    await expect(firstValueFrom(listen({ port: server.port }))).rejects.toMatchObject({ code: 'EADDRINUSE' });
    server.stop();
  }, 10_000);

  it('releases the port, every socket and every handle on unsubscribe', async () => {
    const before = tcpHandles();
    const server = await startServer({ framing: delimiter(), codec: utf8() });
    const clients = await Promise.all([rawClient(server.port), rawClient(server.port)]);
    const connections = await firstValueFrom(server.connections$.pipe(take(2), toArray()));
    connections.forEach((c) => c.messages$.subscribe({ error: () => undefined }));
    for (const client of clients) client.on('end', () => client.end());
    server.stop();
    await Promise.all(connections.map((c) => firstValueFrom(c.closed$)));
    await Promise.all(clients.map(socketClosed));
    expect(await eventually(() => tcpHandles() <= before)).toBe(true);
    // The same port can be bound again at once.
    const again = await startServerOn(server.port);
    again.close();
  }, 10_000);

  it('ends its connections gracefully on unsubscribe: queued messages still arrive', async () => {
    const server = await startServer({ framing: delimiter(), codec: utf8() });
    const client = await rawClient(server.port);
    const all = readAll(client);
    const connection = await server.accepted(0);
    client.on('end', () => client.end());
    connection.sink.next('last words');
    server.stop();
    expect((await all).toString()).toBe('last words\n');
    expect(await lastValueFrom(connection.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  }, 10_000);
});

function startServerOn(port: number): Promise<import('node:net').Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
