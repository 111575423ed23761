// Proof (d): a partial frame that never completes fails the connection with StallTimeoutError
// after stallTimeout, in virtual time: exactly, with marbles on a test connection, and through the
// real stream code with a stalled wire.
import { firstValueFrom, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { json, lengthPrefix, StallTimeoutError } from 'rxjs-socket';
import { connectionPair, settle, testConnection, typedError } from 'rxjs-socket/testing';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** `{"n":1}` framed with a u32 length: 4 header bytes and 7 payload bytes. */
const frame = Uint8Array.of(0, 0, 0, 7, ...Buffer.from('{"n":1}'));

describe('a stalled partial frame', () => {
  it('fails a test connection with StallTimeoutError exactly stallTimeout after the partial frame began', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      // A whole frame, then 5 bytes of the next at 1 s, and 2 more at 20 s that still do not finish it.
      const bytes = { w: frame, p: frame.subarray(0, 5), q: frame.subarray(5, 7) };
      const connection = testConnection({ framing: lengthPrefix(), codec: json(), stallTimeout: 30_000, scheduler, incomingBytes$: cold('w 999ms p 18999ms q', bytes) });
      expectObservable(connection.messages$).toBe('w 30999ms #', { w: { n: 1 } }, typedError({ type: StallTimeoutError, code: 'RXSOCKET_ERR_STALL_TIMEOUT' }));
      expectObservable(connection.closed$).toBe('31s (c|)', {
        c: { error: typedError({ type: StallTimeoutError, message: 'partial frame (7 bytes) not completed within 30000 ms' }), unsentBytes: 0, unsentMessages: 0 },
      });
    });
  });

  it('does not fail when the frame completes one frame before the timeout', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const bytes = { p: frame.subarray(0, 3), r: frame.subarray(3) };
      const connection = testConnection({ framing: lengthPrefix(), codec: json(), stallTimeout: 30_000, scheduler, incomingBytes$: cold('p 29998ms r', bytes) });
      expectObservable(connection.messages$).toBe('29999ms r', { r: { n: 1 } });
    });
  });

  it('fails a connection of a pair with StallTimeoutError when the wire delivers part of a frame and stalls', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { client, server, wire } = connectionPair({ framing: lengthPrefix(), codec: json(), stallTimeout: 30_000, scheduler });
    const errors: unknown[] = [];
    server.messages$.subscribe({ error: (e: unknown) => errors.push(e) });
    wire.toServer.stall();
    client.sink.next({ n: 1 });
    await settle();
    wire.toServer.release(6);
    await settle();
    scheduler.maxFrames = 29_999;
    scheduler.flush();
    await settle();
    expect(errors).toEqual([]);
    expect(wire.toServer.heldBytes).toBe(5);
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect(errors).toHaveLength(1);
    const error = errors[0];
    expect(error).toBeInstanceOf(StallTimeoutError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_STALL_TIMEOUT', timeout: 30_000, bufferedBytes: 6 });
    expect(scheduler.now()).toBe(30_000);
    expect((await firstValueFrom(server.closed$)).error).toBe(error);
    client.destroy();
  }, 5_000);
});
