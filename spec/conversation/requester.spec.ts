import { firstValueFrom, lastValueFrom, mergeMap, range, toArray, VirtualTimeScheduler } from 'rxjs';
import { connect, ConnectionLostError, fromSocket, HandlerError, json, requester, RequestTimeoutError, type Connection } from 'rxjs-socket';
import { duplexPair, settle } from 'rxjs-socket/testing';
import { openClient, startServer } from '../helpers/loopback';

interface Msg {
  id: number;
  kind?: 'question' | 'part' | 'final';
  body?: unknown;
}

const byId = { requestId: (m: Msg) => m.id, replyId: (m: Msg) => m.id };

function pair(): [Connection<Msg, Msg>, Connection<Msg, Msg>] {
  const [a, b] = duplexPair();
  return [fromSocket<Msg>(a, { codec: json<Msg>() }), fromSocket<Msg>(b, { codec: json<Msg>() })];
}


describe('requester', () => {
  it('matches 1,000 concurrent requests over TCP to replies sent back in shuffled order', async () => {
    const server = await startServer<Msg, Msg>({ codec: json<Msg>() });
    server.connections$.subscribe((connection) => {
      const received: Msg[] = [];
      connection.messages$.subscribe((m) => {
        if (received.push(m) < 1000) return;
        const shuffled = [...received].sort(() => Math.random() - 0.5);
        for (const r of shuffled) connection.sink.next({ id: r.id, body: (r.body as number) * 2 });
      });
    });
    const { connection: client, close } = await openClient(connect<Msg>({ host: '127.0.0.1', port: server.port, codec: json<Msg>() }));
    const rpc = requester(client, { correlation: byId });
    const replies = await lastValueFrom(
      range(0, 1000).pipe(
        mergeMap((k) => rpc.request({ id: k, body: k })),
        toArray(),
      ),
    );
    expect(replies).toHaveLength(1000);
    for (const reply of replies) expect(reply.body).toBe(reply.id * 2);
    expect(rpc.pending).toBe(0);
    server.stop();
    close();
    await firstValueFrom(client.closed$);
  }, 10_000);

  it('matches replies by order when there is no id, one request in flight with maxInFlight: 1', async () => {
    const [client, server] = pair();
    let inFlight = 0;
    let most = 0;
    server.messages$.subscribe((m) => {
      most = Math.max(most, ++inFlight);
      setImmediate(() => {
        inFlight--;
        server.sink.next({ id: -1, body: `re ${String(m.body)}` });
      });
    });
    const rpc = requester(client, { maxInFlight: 1 });
    const replies = await Promise.all(['a', 'b', 'c'].map((body) => firstValueFrom(rpc.request({ id: 0, body }))));
    expect(replies.map((r) => r.body)).toEqual(['re a', 're b', 're c']);
    expect(most).toBe(1);
    client.destroy();
  });

  it('delivers a stream of replies ended by a final one', async () => {
    const [client, server] = pair();
    server.messages$.subscribe((m) => {
      server.sink.next({ id: m.id, kind: 'part', body: 1 });
      server.sink.next({ id: m.id, kind: 'part', body: 2 });
      server.sink.next({ id: m.id, kind: 'final', body: 3 });
    });
    const rpc = requester(client, { correlation: byId, isFinal: (r) => r.kind === 'final' });
    expect((await lastValueFrom(rpc.request({ id: 7 }).pipe(toArray()))).map((r) => r.body)).toEqual([1, 2, 3]);
    client.destroy();
  });

  it('answers questions asked during a request before the final reply', async () => {
    const [client, server] = pair();
    const answers: unknown[] = [];
    server.messages$.subscribe((m) => {
      if (m.kind === undefined) server.sink.next({ id: m.id, kind: 'question', body: 'name?' });
      else if (answers.push(m.body) === 1) server.sink.next({ id: m.id, kind: 'question', body: 'fail' });
      else server.sink.next({ id: m.id, kind: 'final', body: answers });
    });
    const rpc = requester(client, {
      correlation: byId,
      isQuestion: (m) => m.kind === 'question',
      answer: (q) => {
        if (q.body === 'fail') throw new Error('cannot answer');
        return { id: q.id, kind: 'part' as const, body: { echo: q.body } };
      },
      answerError: (_, q) => ({ id: q.id, kind: 'part' as const, body: 'internal_error' }),
    });
    const final = await firstValueFrom(rpc.request({ id: 1 }));
    expect(final.body).toEqual([{ echo: 'name?' }, 'internal_error']);
    client.destroy();
  });

  it('fails the request with HandlerError when answering fails and there is no answerError', async () => {
    const [client, server] = pair();
    server.messages$.subscribe((m) => server.sink.next({ id: m.id, kind: 'question' }));
    const rpc = requester(client, {
      correlation: byId,
      isQuestion: (m) => m.kind === 'question',
      answer: () => {
        throw new Error('no');
      },
    });
    await expect(firstValueFrom(rpc.request({ id: 1 }))).rejects.toBeInstanceOf(HandlerError);
    client.destroy();
  });

  it('fails the request with HandlerError when answerError itself throws, and cancels its timeout', async () => {
    const scheduler = new VirtualTimeScheduler();
    const [client, server] = pair();
    server.messages$.subscribe((m) => server.sink.next({ id: m.id, kind: 'question' }));
    const rpc = requester(client, {
      correlation: byId,
      timeout: 5_000,
      scheduler,
      isQuestion: (m) => m.kind === 'question',
      answer: () => {
        throw new Error('no answer');
      },
      answerError: () => {
        throw new Error('no fallback either');
      },
    });
    const error = await firstValueFrom(rpc.request({ id: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).cause).toEqual(new Error('no fallback either'));
    expect(scheduler.actions).toHaveLength(0);
    expect(rpc.pending).toBe(0);
    client.destroy();
  });

  it('delivers pushes to unmatched$ before any request is made', async () => {
    const [client, server] = pair();
    const rpc = requester(client, { correlation: byId });
    const push = firstValueFrom(rpc.unmatched$);
    server.sink.next({ id: 42, body: 'unsolicited' });
    expect(await push).toEqual({ id: 42, body: 'unsolicited' });
    client.destroy();
  });

  it('times out in virtual time with RequestTimeoutError and reports a late reply as unmatched', async () => {
    const scheduler = new VirtualTimeScheduler();
    const [client, server] = pair();
    const rpc = requester(client, { correlation: byId, timeout: 5_000, scheduler });
    const outcome = firstValueFrom(rpc.request({ id: 9 })).catch((e: unknown) => e);
    const unmatched = firstValueFrom(rpc.unmatched$);
    await settle();
    scheduler.flush();
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_REQUEST_TIMEOUT', timeout: 5_000 });
    expect(scheduler.now()).toBe(5_000);
    server.sink.next({ id: 9, body: 'late' });
    expect(await unmatched).toEqual({ id: 9, body: 'late' });
    client.destroy();
  });

  it('cancels a request on unsubscribe, freeing its slot', async () => {
    const [client, server] = pair();
    const seen: number[] = [];
    server.messages$.subscribe((m) => {
      seen.push(m.id);
      if (m.id === 2) server.sink.next({ id: 2 });
    });
    const rpc = requester(client, { correlation: byId, maxInFlight: 1 });
    const first = rpc.request({ id: 1 }).subscribe();
    const second = firstValueFrom(rpc.request({ id: 2 }));
    first.unsubscribe();
    expect(await second).toEqual({ id: 2 });
    expect(seen).toEqual([1, 2]);
    client.destroy();
  });

  it('fails every pending request at once with ConnectionLostError when the peer dies', async () => {
    const [client, server] = pair();
    const rpc = requester(client, { correlation: byId, maxInFlight: 2 });
    const outcomes = Promise.all([1, 2, 3].map((id) => firstValueFrom(rpc.request({ id })).catch((e: unknown) => e)));
    await settle();
    server.destroy(new Error('server crashed'));
    const errors = await outcomes;
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(error).toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
    }
    await expect(firstValueFrom(rpc.request({ id: 4 }))).rejects.toBeInstanceOf(ConnectionLostError);
  });
});
