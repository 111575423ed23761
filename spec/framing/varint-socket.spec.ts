// Issue 16, item 8: varint-prefix frames over a real socket, where a header's width varies per
// message (the writer must count what it wrote, not the framing's largest overhead).
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { acquire, connect, listening, utf8, varintPrefix } from 'rxjs-socket';

describe('varintPrefix over TCP', () => {
  it('delivers messages with 1- to 3-byte lengths, half-closes once flushed, and reports nothing unsent', async () => {
    const options = { framing: varintPrefix(), codec: utf8() };
    const { value: server, release: stop } = await acquire(listening({ port: 0, ...options }));
    const { value: client, release } = await acquire(connect({ port: server.port, ...options }));
    const sizes = [0, 1, 127, 128, 300, 16_383, 16_384, 70_000];
    for (const size of sizes) client.sink.next('x'.repeat(size));
    client.sink.complete();
    const accepted = await firstValueFrom(server.connections$);
    const received = await lastValueFrom(accepted.messages$.pipe(toArray()));
    expect(received.map((m) => m.length)).toEqual(sizes);
    expect(client.queuedBytes).toBe(0);
    accepted.sink.complete();
    expect(await lastValueFrom(client.messages$.pipe(toArray()))).toEqual([]); // reads, so it sees the server's end
    expect(await firstValueFrom(client.closed$)).toMatchObject({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
    release();
    stop();
  }, 10_000);
});
