// The wire between two in-memory stream ends: chunking, delay, stall and release, backpressure,
// half-close and reset, observed on the raw Duplex ends.
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { VirtualTimeScheduler } from 'rxjs';
import { InvalidOptionError } from 'rxjs-socket';
import { settle, wirePair, type Chunking } from 'rxjs-socket/testing';

/** Every chunk `end` reads, as text, and whether it saw its end of stream. */
function reader(end: Duplex): { chunks: string[]; ended: () => boolean } {
  const chunks: string[] = [];
  let ended = false;
  end.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  end.on('end', () => (ended = true));
  return { chunks, ended: () => ended };
}

/** Moves virtual time forward to `frame`, running what is due. */
function advanceTo(scheduler: VirtualTimeScheduler, frame: number): void {
  scheduler.schedule(() => undefined, frame - scheduler.now());
  scheduler.maxFrames = frame;
  scheduler.flush();
}

describe('wirePair', () => {
  it.each<[Chunking, string[]]>([
    ['as-written', ['abc', 'de']],
    ['coalesce', ['abcde']],
    ['bytewise', ['a', 'b', 'c', 'd', 'e']],
    [[2], ['ab', 'c', 'de']],
    [[1, 9], ['a', 'bc', 'd', 'e']],
  ])('cuts the bytes written as %j says', async (mode, expected) => {
    const { client, server, wire } = wirePair();
    wire.toServer.chunking(mode);
    const got = reader(server);
    client.write('abc');
    client.write('de');
    await settle();
    expect(got.chunks).toEqual(expected);
    expect(wire.toServer.deliveredChunks).toBe(expected.length);
    expect(wire.toServer.deliveredBytes).toBe(5);
    client.destroy();
    server.destroy();
  }, 5_000);

  it('delays delivery on its scheduler, keeping the order', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { client, server, wire } = wirePair({ scheduler });
    wire.toServer.delay(100);
    const got = reader(server);
    client.write('first');
    await settle();
    advanceTo(scheduler, 50);
    wire.toServer.delay(10);
    client.write('second');
    await settle();
    advanceTo(scheduler, 99);
    await settle();
    expect(got.chunks).toEqual([]);
    expect(wire.toServer.heldBytes).toBe(11);
    advanceTo(scheduler, 100);
    await settle();
    expect(got.chunks).toEqual(['first', 'second']);
    client.destroy();
    server.destroy();
  }, 5_000);

  it('holds bytes and the end of stream while stalled, lets n bytes through with release(n), and all with release()', async () => {
    const { client, server, wire } = wirePair();
    const got = reader(server);
    wire.toServer.stall();
    client.end('abcdef');
    await settle();
    expect(got.chunks).toEqual([]);
    expect(wire.toServer.heldBytes).toBe(6);
    wire.toServer.release(2);
    await settle();
    expect(got.chunks).toEqual(['ab']);
    expect(got.ended()).toBe(false);
    wire.toServer.release();
    await settle();
    expect(got.chunks).toEqual(['ab', 'cdef']);
    expect(got.ended()).toBe(true);
    server.destroy();
  }, 5_000);

  it('holds an end of stream with no bytes before it while stalled', async () => {
    const { client, server, wire } = wirePair();
    const got = reader(server);
    wire.toServer.stall();
    client.end();
    await settle();
    expect(got.ended()).toBe(false);
    wire.toServer.release();
    await settle();
    expect(got.ended()).toBe(true);
    server.destroy();
  }, 5_000);

  it('makes the writer wait while more than highWaterMark bytes are held, and drains after release', async () => {
    const { client, server, wire } = wirePair({ highWaterMark: 8 });
    reader(server);
    wire.stall();
    const accepted: boolean[] = [];
    for (let k = 0; k < 6; k++) accepted.push(client.write('12345'));
    expect(accepted).toContain(false);
    await settle();
    const drained = once(client, 'drain');
    wire.release();
    await drained;
    expect(wire.toServer.deliveredBytes).toBe(30);
    client.destroy();
    server.destroy();
  }, 5_000);

  it('lets the other direction flow after a half-close', async () => {
    const { client, server, wire } = wirePair();
    const atServer = reader(server);
    const atClient = reader(client);
    client.write('last words');
    wire.halfClose('client');
    await settle();
    expect(atServer.chunks).toEqual(['last words']);
    expect(atServer.ended()).toBe(true);
    server.end('reply');
    await settle();
    expect(atClient.chunks).toEqual(['reply']);
    expect(atClient.ended()).toBe(true);
  }, 5_000);

  it('resets both ends with ECONNRESET, dropping the bytes in transit', async () => {
    const { client, server, wire } = wirePair();
    const got = reader(server);
    wire.toServer.stall();
    client.write('lost');
    await settle();
    const errors = Promise.all([once(client, 'error'), once(server, 'error')]);
    wire.reset();
    for (const [error] of await errors) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: 'ECONNRESET', syscall: 'read', message: 'read ECONNRESET' });
    }
    wire.toServer.release();
    await settle();
    expect(got.chunks).toEqual([]);
    expect(client.destroyed && server.destroyed).toBe(true);
  }, 5_000);

  it('resets from one end: that end closes without an error, its peer fails with ECONNRESET', async () => {
    const { client, server, wire } = wirePair();
    const clientErrors: unknown[] = [];
    client.on('error', (e) => clientErrors.push(e));
    const serverError = once(server, 'error');
    const clientClosed = once(client, 'close');
    wire.reset('client');
    expect((await serverError)[0]).toMatchObject({ code: 'ECONNRESET' });
    await clientClosed;
    expect(clientErrors).toEqual([]);
  }, 5_000);

  it('refuses invalid chunk sizes and delays with InvalidOptionError', () => {
    const { client, server, wire } = wirePair();
    expect(() => wire.chunking([0])).toThrow(InvalidOptionError);
    expect(() => wire.chunking([])).toThrow(InvalidOptionError);
    expect(() => wire.delay(-1)).toThrow(InvalidOptionError);
    expect(() => wire.reset('nobody' as 'client')).toThrow(InvalidOptionError);
    client.destroy();
    server.destroy();
  }, 5_000);
});
