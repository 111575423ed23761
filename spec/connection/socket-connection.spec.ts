// The Connection over any Duplex (fromSocket), driven through in-memory pairs; timers in virtual time.
import { once } from 'node:events';
import { firstValueFrom, lastValueFrom, take, toArray, VirtualTimeScheduler } from 'rxjs';
import {
  delimiter,
  EncodeError,
  fromSocket,
  IdleTimeoutError,
  json,
  lengthPrefix,
  QueueOverflowError,
  StallTimeoutError,
  utf8,
} from 'rxjs-socket';
import { duplexPair, settle } from 'rxjs-socket/testing';


/** Moves virtual time forward to `frame`, running what is due. */
function advanceTo(scheduler: VirtualTimeScheduler, frame: number): void {
  scheduler.schedule(() => undefined, frame - scheduler.now());
  scheduler.maxFrames = frame;
  scheduler.flush();
}

function lines(scheduler?: VirtualTimeScheduler, extra: { stallTimeout?: number; idleTimeout?: number; closeTimeout?: number } = {}) {
  return { framing: delimiter(), codec: utf8(), ...(scheduler ? { scheduler } : {}), ...extra };
}

describe('fromSocket', () => {
  it('holds what arrives until messages$ is subscribed, losing nothing', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines());
    b.write('one\ntwo\n');
    await settle();
    b.end('three\n');
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(['one', 'two', 'three']);
  });

  it('reads a stream that already has a data listener of its own (a logger), and leaves it in place', async () => {
    const [a, b] = duplexPair();
    const logged: string[] = [];
    a.on('data', (chunk: Buffer) => logged.push(chunk.toString()));
    const connection = fromSocket(a, lines());
    b.end('one\ntwo\n');
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual(['one', 'two']);
    expect(logged.join('')).toBe('one\ntwo\n');
  });

  it('bounds held empty frames too (each counts 8 bytes), and loses none of them', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, { framing: lengthPrefix(), maxHeldBytes: 800 });
    const chunk = Buffer.alloc(4 * 1000); // 1,000 empty frames
    for (let k = 0; k < 10; k++) b.write(chunk);
    b.end();
    await settle();
    expect(a.isPaused()).toBe(true);
    expect(connection.traffic?.bytesIn).toBe(4_000);
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toHaveLength(10_000);
  });

  it('holds up to maxHeldBytes while nobody is subscribed, then pauses, and resumes for the next subscriber', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, { ...lines(), maxHeldBytes: 6 });
    b.write('first\n');
    expect(await firstValueFrom(connection.messages$)).toBe('first');
    b.write('second\n');
    await settle();
    expect(a.isPaused()).toBe(true);
    expect(connection.traffic?.bytesIn).toBe(13);
    expect(await firstValueFrom(connection.messages$)).toBe('second');
    connection.destroy();
  });

  it('stops reading on pause() and reads on after resume()', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines());
    const seen: string[] = [];
    connection.messages$.subscribe((m) => seen.push(m));
    b.write('one\n');
    await settle();
    connection.pause();
    b.write('two\n');
    await settle();
    expect(seen).toEqual(['one']);
    expect(a.isPaused()).toBe(true);
    connection.resume();
    await settle();
    expect(seen).toEqual(['one', 'two']);
    connection.destroy();
  });

  it('gives a late subscriber the end at once', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines());
    b.end('x\n');
    await lastValueFrom(connection.messages$);
    await expect(lastValueFrom(connection.messages$.pipe(toArray()))).resolves.toEqual([]);
  });

  it('sends every message given to the sink, then ends after flushing on complete', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines());
    const peer = fromSocket(b, lines());
    const received = lastValueFrom(peer.messages$.pipe(toArray()));
    for (let k = 0; k < 1000; k++) connection.sink.next(`m${k}`);
    connection.sink.complete();
    expect(await received).toEqual(Array.from({ length: 1000 }, (_, k) => `m${k}`));
  });

  it('closes with an EncodeError when the sink gets a message the codec cannot encode', async () => {
    const [a] = duplexPair();
    const connection = fromSocket<unknown>(a, { codec: json() });
    const failure = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    connection.sink.next(undefined);
    expect(await failure).toBeInstanceOf(EncodeError);
    expect((await firstValueFrom(connection.closed$)).error).toBeInstanceOf(EncodeError);
  });

  it('destroys the socket with the error given to sink.error', async () => {
    const [a] = duplexPair();
    const connection = fromSocket(a, lines());
    const failure = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    const boom = new Error('boom');
    connection.sink.error(boom);
    expect(await failure).toBe(boom);
    expect(a.destroyed).toBe(true);
  });

  it('reports writability and fails with QueueOverflowError past maxQueuedBytes behind a peer that does not read', async () => {
    const [a] = duplexPair();
    const connection = fromSocket(a, { framing: lengthPrefix(), maxQueuedBytes: 64 * 1024 });
    const writability: boolean[] = [];
    connection.writable$.subscribe((w) => writability.push(w));
    const failure = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    const payload = new Uint8Array(8 * 1024);
    for (let k = 0; k < 4; k++) connection.sink.next(payload);
    await settle();
    expect(writability).toEqual([true, false]);
    for (let k = 0; k < 9; k++) connection.sink.next(payload);
    const error = await failure;
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_QUEUE_OVERFLOW', max: 64 * 1024 });
    const closed = await firstValueFrom(connection.closed$);
    // The bound held at every message: nothing past 64 KiB was accepted, and every message
    // given is either written (the peer's buffer took some) or counted unsent.
    expect(closed.unsentBytes).toBeGreaterThan(0);
    expect(closed.unsentBytes).toBeLessThanOrEqual(64 * 1024);
    expect(closed.unsentMessages).toBeGreaterThanOrEqual(1);
  });

  it('becomes writable again once the peer drains', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, { framing: lengthPrefix() });
    const writability = lastValueFrom(connection.writable$.pipe(take(3), toArray()));
    for (let k = 0; k < 8; k++) connection.sink.next(new Uint8Array(8 * 1024));
    await settle();
    b.resume();
    expect(await writability).toEqual([true, false, true]);
    connection.destroy();
  });

  it('counts messages given to the sink after it completed as late, never sending them', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines());
    const peer = fromSocket(b, lines());
    const received = lastValueFrom(peer.messages$.pipe(toArray()));
    connection.sink.next('sent');
    connection.sink.complete();
    connection.sink.next('too late');
    expect(connection.lateMessages).toBe(1);
    expect(await received).toEqual(['sent']);
    connection.close();
    expect(await firstValueFrom(connection.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 1 });
  });

  it('tells closed$ how the connection ended', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines());
    connection.messages$.subscribe();
    b.end();
    connection.close();
    expect(await firstValueFrom(connection.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  });
});

describe('fromSocket timers (virtual time)', () => {
  it('fails with StallTimeoutError when a partial frame is not completed within stallTimeout', async () => {
    const scheduler = new VirtualTimeScheduler();
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines(scheduler, { stallTimeout: 30_000 }));
    const errors: unknown[] = [];
    connection.messages$.subscribe({ error: (e: unknown) => errors.push(e) });
    b.write('partial');
    await settle();
    advanceTo(scheduler, 29_999);
    b.write(' still partial');
    await settle();
    expect(errors).toEqual([]);
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StallTimeoutError);
    expect(errors[0]).toMatchObject({ code: 'RXSOCKET_ERR_STALL_TIMEOUT', timeout: 30_000, bufferedBytes: 21 });
  });

  it('restarts the stall clock for each new partial frame and stops it between frames', async () => {
    const scheduler = new VirtualTimeScheduler();
    const [a, b] = duplexPair();
    const connection = fromSocket(a, lines(scheduler, { stallTimeout: 1_000 }));
    const seen: string[] = [];
    connection.messages$.subscribe({ next: (m) => seen.push(m), error: (e: unknown) => seen.push(String(e)) });
    b.write('a');
    await settle();
    advanceTo(scheduler, 600);
    b.write('\nb');
    await settle();
    advanceTo(scheduler, 1_200);
    b.write('\n');
    await settle();
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect(seen).toEqual(['a', 'b']);
    connection.destroy();
  });

  it('fails with IdleTimeoutError after idleTimeout without traffic', async () => {
    const scheduler = new VirtualTimeScheduler();
    const [a] = duplexPair();
    const connection = fromSocket(a, lines(scheduler, { idleTimeout: 60_000 }));
    const failure = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    scheduler.flush();
    const error = await failure;
    expect(error).toBeInstanceOf(IdleTimeoutError);
    expect(scheduler.now()).toBe(60_000);
  });

  it('destroys a socket whose peer never finishes closing, after closeTimeout', async () => {
    const scheduler = new VirtualTimeScheduler();
    const [a] = duplexPair();
    const connection = fromSocket(a, lines(scheduler, { closeTimeout: 5_000 }));
    connection.close();
    connection.close();
    await settle();
    expect(a.destroyed).toBe(false);
    scheduler.flush();
    await once(a, 'close');
    expect(scheduler.now()).toBe(5_000);
    expect(await firstValueFrom(connection.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  });
});
