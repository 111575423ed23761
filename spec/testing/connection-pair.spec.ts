// Two real connections (fromSocket: framing, codec, writer, timers) joined by an in-memory wire.
import { filter, firstValueFrom, lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { delimiter, json, lengthPrefix, utf8 } from 'rxjs-socket';
import { connectionPair, settle, typedError, type Chunking } from 'rxjs-socket/testing';

interface Note {
  readonly n: number;
  readonly text: string;
}

const notes: Note[] = Array.from({ length: 20 }, (_, n) => ({ n, text: `note ${n} ${'é'.repeat(n)}` }));

describe('connectionPair', () => {
  it.each<Chunking>(['as-written', 'coalesce', 'bytewise', [3], [1, 5, 2]])('delivers every message intact when the wire cuts bytes as %j', async (mode) => {
    const { client, server, wire } = connectionPair({ framing: lengthPrefix(), codec: json<Note>() });
    wire.chunking(mode);
    server.messages$.subscribe({ next: (note) => server.sink.next(note), complete: () => server.sink.complete() });
    const echoed = lastValueFrom(client.messages$.pipe(toArray()));
    for (const note of notes) client.sink.next(note);
    client.sink.complete();
    expect(await echoed).toEqual(notes);
    if (mode === 'bytewise') expect(wire.toServer.deliveredChunks).toBe(wire.toServer.deliveredBytes);
    expect(await firstValueFrom(server.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  }, 5_000);

  it('gives the server the mirror of the client options', async () => {
    const { client, server } = connectionPair<string, Note>({
      framing: { in: delimiter(), out: lengthPrefix() },
      codec: { in: utf8(), out: json<Note>() },
    });
    const atServer = firstValueFrom(server.messages$);
    client.sink.next({ n: 1, text: 'hello' });
    expect(await atServer).toEqual({ n: 1, text: 'hello' });
    const atClient = firstValueFrom(client.messages$);
    server.sink.next('a line');
    expect(await atClient).toBe('a line');
    client.destroy();
    server.destroy();
  }, 5_000);

  it('fails both connections with ECONNRESET on a reset', async () => {
    const { client, server, wire } = connectionPair({ codec: utf8() });
    const failures = Promise.all([client, server].map((end) => lastValueFrom(end.messages$).catch((e: unknown) => e)));
    wire.reset();
    for (const error of await failures) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toEqual(typedError({ code: 'ECONNRESET' }));
    }
    expect((await firstValueFrom(client.closed$)).error).toEqual(typedError({ code: 'ECONNRESET' }));
  }, 5_000);

  it('fails only the peer of the end that resets', async () => {
    const { client, server, wire } = connectionPair({ codec: utf8() });
    const serverFailure = lastValueFrom(server.messages$).catch((e: unknown) => e);
    wire.reset('client');
    expect(await serverFailure).toEqual(typedError({ code: 'ECONNRESET' }));
    expect((await firstValueFrom(client.closed$)).error).toBeUndefined();
  }, 5_000);

  it('keeps the server sending after the client half-closes, with allowHalfOpen', async () => {
    const { client, server } = connectionPair({ framing: delimiter(), codec: utf8(), server: { allowHalfOpen: true } });
    const atServer = lastValueFrom(server.messages$.pipe(toArray()));
    const atClient = lastValueFrom(client.messages$.pipe(toArray()));
    client.sink.next('question');
    client.sink.complete();
    expect(await atServer).toEqual(['question']);
    server.sink.next('answer after your FIN');
    server.sink.complete();
    expect(await atClient).toEqual(['answer after your FIN']);
    expect((await firstValueFrom(client.closed$)).error).toBeUndefined();
  }, 5_000);

  it('ends the server when the wire half-closes the client under its feet', async () => {
    const { client, server, wire } = connectionPair({ framing: delimiter(), codec: utf8() });
    const atServer = lastValueFrom(server.messages$.pipe(toArray()));
    client.sink.next('sent before');
    await settle();
    wire.halfClose('client');
    expect(await atServer).toEqual(['sent before']);
    client.destroy();
  }, 5_000);

  it('turns writable$ false while a stalled wire holds too much, and true again after release', async () => {
    const { client, server, wire } = connectionPair({ highWaterMark: 1024 });
    server.messages$.subscribe();
    wire.toServer.stall();
    const writability: boolean[] = [];
    client.writable$.subscribe((w) => writability.push(w));
    for (let k = 0; k < 16; k++) client.sink.next(new Uint8Array(512));
    await settle();
    expect(writability).toEqual([true, false]);
    expect(wire.toServer.heldBytes).toBe(16 * (4 + 512));
    const drained = firstValueFrom(client.writable$.pipe(filter((w) => w)));
    wire.toServer.release();
    await drained;
    expect(writability).toEqual([true, false, true]);
    client.destroy();
    server.destroy();
  }, 5_000);

  it('delays messages on the virtual scheduler it shares with the connections', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { client, server, wire } = connectionPair({ codec: utf8(), scheduler });
    wire.toServer.delay(250);
    const got: Array<[string, number]> = [];
    server.messages$.subscribe((m) => got.push([m, scheduler.now()]));
    client.sink.next('slow');
    await settle();
    expect(got).toEqual([]);
    scheduler.flush();
    await settle();
    expect(got).toEqual([['slow', 250]]);
    client.destroy();
    server.destroy();
  }, 5_000);
});
