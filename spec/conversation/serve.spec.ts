import { from, lastValueFrom, map, of, Subject, take, timer, toArray, VirtualTimeScheduler } from 'rxjs';
import { connect, delimiter, fromSocket, HandlerError, serve, utf8, type ServeOptions } from 'rxjs-socket';
import { duplexPair } from 'rxjs-socket/testing';
import { eventually, openClient, rawClient, startServer } from '../helpers/loopback';

/** A served in-memory connection and the client end talking to it. */
function served(handler: Parameters<typeof serve<string, string>>[0], options: Parameters<typeof serve>[1] = {}) {
  const [a, b] = duplexPair();
  const server = fromSocket(a, { framing: delimiter(), codec: utf8(), allowHalfOpen: true });
  const client = fromSocket(b, { framing: delimiter(), codec: utf8() });
  const ends = lastValueFrom(of(server).pipe(serve(handler, options), toArray()));
  return { client, ends };
}

describe('serve', () => {
  it('writes nothing, one reply or many replies, as the handler returns', async () => {
    const { client, ends } = served((line) => {
      if (line === 'none') return undefined;
      if (line === 'null') return null;
      if (line.startsWith('multi')) return from(['resp 1', 'resp 2', 'resp 3']);
      if (line === 'promise') return Promise.resolve('from a promise');
      return `ack ${line}`;
    });
    const replies = lastValueFrom(client.messages$.pipe(toArray()));
    for (const line of ['none', 'cmd01', 'null', 'multi 3', 'promise']) client.sink.next(line);
    client.sink.complete();
    expect(await replies).toEqual(['ack cmd01', 'resp 1', 'resp 2', 'resp 3', 'from a promise']);
    expect(await ends).toEqual([expect.objectContaining({ error: undefined })]);
  });

  it('keeps replies in the order of the requests when handlers take different times', async () => {
    const delays = [30, 0, 15, 5, 0, 20];
    const { client } = served((line) => timer(delays[Number(line)] ?? 0).pipe(map((): string => `reply ${line}`)));
    const replies = lastValueFrom(client.messages$.pipe(take(delays.length), toArray()));
    delays.forEach((_, k) => client.sink.next(String(k)));
    expect(await replies).toEqual(delays.map((_, k) => `reply ${k}`));
    client.destroy();
  });

  it('overlaps handlers with concurrency, writing replies as they come', async () => {
    const delays = [40, 0, 20];
    const { client } = served((line) => timer(delays[Number(line)] ?? 0).pipe(map((): string => `reply ${line}`)), {
      concurrency: 3,
    });
    const replies = lastValueFrom(client.messages$.pipe(take(3), toArray()));
    delays.forEach((_, k) => client.sink.next(String(k)));
    expect(await replies).toEqual(['reply 1', 'reply 2', 'reply 0']);
    client.destroy();
  });

  it('closes only the failing connection with a HandlerError when the handler throws', async () => {
    const failing = served((line) => {
      if (line === 'boom') throw new Error('handler broke');
      return line;
    });
    const healthy = served((line) => line);
    const failingEnd = lastValueFrom(failing.client.messages$.pipe(toArray()));
    failing.client.sink.next('fine');
    failing.client.sink.next('boom');
    expect(await failingEnd).toEqual(['fine']);
    const [end] = await failing.ends;
    expect(end?.error).toBeInstanceOf(HandlerError);
    expect((end?.error as HandlerError).cause).toEqual(new Error('handler broke'));
    const echoed = lastValueFrom(healthy.client.messages$.pipe(take(1)));
    healthy.client.sink.next('still served');
    expect(await echoed).toBe('still served');
    healthy.client.destroy();
  });

  it.each<[string, ServeOptions]>([
    ["handlerError: 'ignore'", { handlerError: 'ignore' }],
    ["the deprecated onHandlerError: 'ignore' (until 0.3.0)", { onHandlerError: 'ignore' }],
  ])('skips a failing message and goes on with %s', async (_, options) => {
    const { client } = served((line) => {
      if (line === 'boom') throw new Error('nope');
      return line;
    }, options);
    const replies = lastValueFrom(client.messages$.pipe(take(2), toArray()));
    for (const line of ['a', 'boom', 'b']) client.sink.next(line);
    expect(await replies).toEqual(['a', 'b']);
    client.destroy();
  });
});

describe('serve over TCP', () => {
  it('answers 200 pipelined requests in order though handlers finish out of order', async () => {
    const server = await startServer<string, string>({ framing: delimiter(), codec: utf8() });
    const serving = server.connections$
      .pipe(serve((line) => timer(Number(line) % 7).pipe(map((): string => `re ${line}`))))
      .subscribe();
    const { connection, close } = await openClient(connect<string>({ host: '127.0.0.1', port: server.port, framing: delimiter(), codec: utf8() }));
    const replies = lastValueFrom(connection.messages$.pipe(take(200), toArray()));
    for (let k = 0; k < 200; k++) connection.sink.next(String(k));
    expect(await replies).toEqual(Array.from({ length: 200 }, (_, k) => `re ${k}`));
    close();
    serving.unsubscribe();
    server.stop();
  }, 10_000);
});

describe('serve backpressure', () => {
  it('pauses a connection whose handlers fall behind by maxPending messages, and resumes as they catch up', async () => {
    const [a, b] = duplexPair();
    const server = fromSocket(a, { framing: delimiter(), codec: utf8() });
    const client = fromSocket(b, { framing: delimiter(), codec: utf8() });
    const gate = new Subject<void>();
    let decoded = 0;
    server.messages$.subscribe(() => decoded++);
    of(server)
      .pipe(serve((line) => gate.pipe(take(1), map(() => `done ${line}`)), { maxPending: 10 }))
      .subscribe();
    const replies = lastValueFrom(client.messages$.pipe(take(50), toArray()));
    for (let k = 0; k < 50; k++) {
      client.sink.next(String(k));
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
    // Ten messages in, the connection stopped reading: the rest wait in the stream, not in memory.
    expect(a.isPaused()).toBe(true);
    expect(decoded).toBe(10);
    for (let k = 0; k < 50; k++) {
      gate.next();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await replies).toEqual(Array.from({ length: 50 }, (_, k) => `done ${k}`));
    client.destroy();
  }, 10_000);
});

describe('serve and the stall timer', () => {
  it('never times out a client that serve() itself paused: time only counts while reading', async () => {
    // Real sockets, virtual time: the stall timer runs on a VirtualTimeScheduler the test advances.
    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const server = await startServer<string, string>({ framing: delimiter(), codec: utf8(), stallTimeout: 1_000, scheduler });
    const gate = new Subject<void>();
    const served = lastValueFrom(
      server.connections$.pipe(
        take(1),
        serve<string, string>((line) => gate.pipe(take(1), map(() => `done ${line}`)), { maxPending: 5 }),
      ),
    );
    const socket = await rawClient(server.port);
    const replies: string[] = [];
    socket.on('data', (chunk: Buffer) => replies.push(...chunk.toString().split('\n').filter((l) => l !== '')));
    // Ten lines and half of the eleventh: the server pauses with a partial frame buffered.
    socket.write(`${Array.from({ length: 10 }, (_, k) => k).join('\n')}\n1`);
    const connection = await server.accepted(0);
    expect(await eventually(() => connection.queuedMessages === 0 && scheduler.actions.length > 0)).toBe(true);
    // Ten virtual seconds pass while serve() holds the connection paused: not a stall.
    scheduler.flush();
    for (let k = 0; k < 10; k++) gate.next();
    // Reading again: the eleventh line completes and is answered.
    socket.write('0\n');
    expect(await eventually(() => gate.observed)).toBe(true);
    gate.next();
    expect(await eventually(() => replies.length === 11)).toBe(true);
    socket.end();
    const { error } = await served;
    expect(error).toBeUndefined();
    expect(replies).toEqual([...Array.from({ length: 10 }, (_, k) => `done ${k}`), 'done 10']);
    server.stop();
  }, 10_000);
});
