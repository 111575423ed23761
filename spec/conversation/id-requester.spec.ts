// Issue 16, item 4: requests with automatic ids in an envelope, on both sides.
import { firstValueFrom, forkJoin, lastValueFrom, of, timer, toArray, map, type Observable } from 'rxjs';
import { idRequester, json, serveWithIds, type Envelope, type Enveloped } from 'rxjs-socket';
import { connectionPair } from 'rxjs-socket/testing';

type Wire = Enveloped<unknown>;

/** An in-memory pair whose client sends `{ id, body: Req }` and receives `{ id, body: Rep }`, as JSON. */
function pair<Req, Rep>() {
  return connectionPair<Enveloped<Rep>, Enveloped<Req>>({ codec: { in: json(), out: json() } });
}

describe('idRequester and serveWithIds', () => {
  it('match replies to requests by ids they assign themselves, whatever order replies come in', async () => {
    const { client, server } = pair<string, string>();
    // The first request is answered last.
    const served = of(server)
      .pipe(serveWithIds((text: string) => timer(text === 'slow' ? 30 : 0).pipe(map(() => text.toUpperCase())), { concurrency: 4 }))
      .subscribe();
    const rpc = idRequester<string, string>(client, { timeout: 5_000 });
    const replies = await firstValueFrom(forkJoin([rpc.request('slow'), rpc.request('fast'), rpc.request('mid')]));
    expect(replies).toEqual(['SLOW', 'FAST', 'MID']);
    expect(rpc.pending).toBe(0);
    client.close();
    served.unsubscribe();
  });

  it('puts { id, body } on the wire, ids counting from 1, and leaves messages without an id to unmatched$', async () => {
    const { client, server } = pair<string, string>();
    const seen: Wire[] = [];
    server.messages$.subscribe((message) => {
      seen.push(message);
      server.sink.next({ id: message.id, body: 'ok' });
      if (seen.length === 1) server.sink.next({ push: true } as unknown as Enveloped<string>);
    });
    const rpc = idRequester<string, string>(client);
    const unmatched: unknown[] = [];
    rpc.unmatched$.subscribe((m) => unmatched.push(m));
    expect(await firstValueFrom(rpc.request('a'))).toBe('ok');
    expect(await firstValueFrom(rpc.request('b'))).toBe('ok');
    expect(seen).toEqual([
      { id: 1, body: 'a' },
      { id: 2, body: 'b' },
    ]);
    expect(unmatched).toEqual([{ push: true }]);
    client.close();
  });

  it('works with a custom envelope on both sides ([id, body] arrays here)', async () => {
    type Pair = [number | string, unknown];
    const { client, server } = connectionPair<Pair>({ codec: json<Pair>() });
    const clientEnvelope: Envelope<number[], number, Pair, Pair> = {
      wrap: (id, body) => [id, body],
      open: ([id, body]) => ({ id, body: body as number }),
    };
    const serverEnvelope: Envelope<number, number[], Pair, Pair> = {
      wrap: (id, body) => [id, body],
      open: ([id, body]) => ({ id, body: body as number[] }),
    };
    const served = of(server)
      .pipe(serveWithIds((numbers: number[]) => numbers.reduce((a, b) => a + b, 0), { envelope: serverEnvelope }))
      .subscribe();
    const rpc = idRequester(client, { envelope: clientEnvelope });
    expect(await firstValueFrom(rpc.request([1, 2, 3]))).toBe(6);
    client.close();
    served.unsubscribe();
  });

  it('streams several reply bodies to one request until isFinal', async () => {
    const { client, server } = pair<number, string | number>();
    const served = of(server)
      .pipe(serveWithIds((count: number | string): Observable<string | number> => of('tick', 'tick', Number(count))))
      .subscribe();
    const rpc = idRequester<number, string | number>(client, { isFinal: (reply) => typeof reply === 'number' });
    expect(await lastValueFrom(rpc.request(3).pipe(toArray()))).toEqual(['tick', 'tick', 3]);
    client.close();
    served.unsubscribe();
  });

  it('cancels a request when its AbortSignal aborts: it errors with the reason, and its late reply goes to unmatched$', async () => {
    const { client, server } = pair<string, string>();
    const rpc = idRequester<string, string>(client);
    const controller = new AbortController();
    const outcome = firstValueFrom(rpc.request('never mind', { signal: controller.signal })).catch((e: unknown) => e);
    controller.abort(new Error('user gave up'));
    expect(await outcome).toEqual(new Error('user gave up'));
    expect(rpc.pending).toBe(0);
    const late = firstValueFrom(rpc.unmatched$);
    await new Promise<void>((resolve) => server.messages$.subscribe(() => resolve()));
    server.sink.next({ id: 1, body: 'too late' });
    expect(await late).toEqual({ id: 1, body: 'too late' });
    const already = new AbortController();
    already.abort();
    await expect(firstValueFrom(rpc.request('x', { signal: already.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    client.close();
  });
});
