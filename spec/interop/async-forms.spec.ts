// Issue 16, items 3, 7 and 12: forms for async code (acquire, listening, eachMessage), AbortSignal
// on connect and listen, and connect's default host meeting listen's.
import { firstValueFrom, lastValueFrom, Observable, Subject, tap, toArray } from 'rxjs';
import { acquire, connect, delimiter, eachMessage, fromSocket, listen, listening, pool, utf8 } from 'rxjs-socket';
import { duplexPair } from 'rxjs-socket/testing';

const lines = { framing: delimiter(), codec: utf8() };

describe('listening + acquire', () => {
  it('give a port-0 server and a client in async code, open until released, without a callback', async () => {
    const { value: server, release: stop } = await acquire(listening({ port: 0, ...lines }));
    expect(server.address).toMatchObject({ family: 'IPv4', address: '127.0.0.1' });
    // A client that connects before anyone reads connections$ is held, not missed.
    const { value: client, release } = await acquire(connect({ port: server.port, ...lines }));
    const accepted = await firstValueFrom(server.connections$);
    client.sink.next('hello');
    expect(await firstValueFrom(accepted.messages$)).toBe('hello');
    release();
    await firstValueFrom(client.closed$);
    stop();
    await expect(firstValueFrom(connect({ port: server.port, ...lines }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('keeps a pool open where firstValueFrom would close it', async () => {
    const { value: server, release: stop } = await acquire(listening({ port: 0, ...lines }));
    server.connections$.subscribe((c) => c.messages$.subscribe((m) => c.sink.next(`re: ${m}`)));
    const closed = await firstValueFrom(pool<string>({ port: server.port, size: 1, ...lines }));
    await expect(firstValueFrom(closed.request('x'))).rejects.toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
    const { value: held, release } = await acquire(pool<string>({ port: server.port, size: 1, ...lines }));
    expect(await firstValueFrom(held.request('x'))).toBe('re: x');
    release();
    stop();
  });

  it('rejects when the source fails before its first value, and tells a later end', async () => {
    await expect(acquire(new Observable<number>((s) => s.error(new Error('refused'))))).rejects.toEqual(new Error('refused'));
    await expect(acquire(new Observable<number>((s) => s.complete()))).rejects.toThrow(/without a value/);
    const later = await acquire(
      new Observable<number>((s) => {
        s.next(1);
        queueMicrotask(() => s.error(new Error('later')));
      }),
    );
    await later.ended;
    expect(later.error).toEqual(new Error('later'));
  });

  it('gives up on abort before the first value, and releases on abort after it', async () => {
    const aborted = new AbortController();
    const pending = acquire(new Observable<number>(() => undefined), { signal: aborted.signal });
    aborted.abort(new Error('stop'));
    await expect(pending).rejects.toEqual(new Error('stop'));
    const later = new AbortController();
    let unsubscribed = false;
    const held = await acquire(
      new Observable<number>((s) => {
        s.next(1);
        return () => (unsubscribed = true);
      }),
      { signal: later.signal },
    );
    later.abort();
    await held.ended;
    expect(unsubscribed).toBe(true);
  });
});

describe('AbortSignal on connect and listen', () => {
  it('listen: aborting stops the server and completes; connect: aborting closes the connection and completes', async () => {
    const serverAbort = new AbortController();
    const bound = new Subject<number>();
    const port = firstValueFrom(bound);
    const served = lastValueFrom(
      listen({ port: 0, ...lines, signal: serverAbort.signal, onListening: (a) => bound.next(a.family === 'unix' ? 0 : a.port) }).pipe(
        tap((accepted) => accepted.messages$.subscribe({ error: () => undefined })), // reads, so it sees the client's end
        toArray(),
      ),
    );
    const clientAbort = new AbortController();
    const client = connect({ port: await port, ...lines, signal: clientAbort.signal });
    const emitted: unknown[] = [];
    const done = new Promise<void>((resolve, reject) =>
      client.subscribe({
        next: (connection) => {
          emitted.push(connection);
          clientAbort.abort();
        },
        error: reject,
        complete: resolve,
      }),
    );
    await done; // emitted the connection, closed it on abort, then completed
    expect(emitted).toHaveLength(1);
    serverAbort.abort();
    expect(await served).toHaveLength(1);
    await expect(firstValueFrom(connect({ port: await port, ...lines }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('connect: an already aborted signal errors at once with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('no'));
    await expect(firstValueFrom(connect({ port: 1, signal: controller.signal }))).rejects.toEqual(new Error('no'));
  });
});

describe('connect default host', () => {
  it('reaches a listen() server bound with the default host', async () => {
    const { value: server, release } = await acquire(listening({ port: 0, ...lines }));
    const { value: client, release: close } = await acquire(connect({ port: server.port, ...lines }));
    expect(client.remoteAddress).toMatchObject({ address: '127.0.0.1' });
    close();
    release();
  });
});

describe('eachMessage', () => {
  it('iterates with for await, ends with the peer, and pauses a connection a slow loop falls behind', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines);
    const calls: string[] = [];
    const watched = {
      messages$: connection.messages$,
      pause: () => {
        calls.push('pause');
        connection.pause();
      },
      resume: () => {
        calls.push('resume');
        connection.resume();
      },
    };
    b.end(Array.from({ length: 10 }, (_, k) => `m${k}\n`).join(''));
    const seen: string[] = [];
    for await (const line of eachMessage(watched, { highWaterMark: 2 })) {
      seen.push(line);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, k) => `m${k}`));
    expect(calls[0]).toBe('pause');
    expect(calls).toContain('resume');
  });

  it('throws the connection error, and unsubscribes when the loop breaks', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines);
    b.end('one\ntwo\n{cut');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const line of eachMessage(connection)) seen.push(line);
      })(),
    ).rejects.toMatchObject({ code: 'RXSOCKET_ERR_UNEXPECTED_END' });
    expect(seen).toEqual(['one', 'two']);

    const [c, d] = duplexPair();
    const open = fromSocket(c, lines);
    d.write('first\n');
    for await (const line of eachMessage(open)) {
      expect(line).toBe('first');
      break;
    }
    // Still open: a new reader gets what comes next.
    const next = firstValueFrom(open.messages$);
    d.write('second\n');
    expect(await next).toBe('second');
    open.destroy();
  });
});
