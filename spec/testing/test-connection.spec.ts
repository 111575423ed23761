// testConnection: a Connection whose peer is played by marble Observables, in exact virtual time.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { delimiter, EncodeError, FrameTooLargeError, IdleTimeoutError, InvalidOptionError, json, lengthPrefix, utf8 } from 'rxjs-socket';
import { connectionReset, testConnection, typedError, type TestConnection } from 'rxjs-socket/testing';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const lines = { framing: delimiter(), codec: utf8() };
const reset = typedError({ name: 'Error', code: 'ECONNRESET' });

describe('testConnection', () => {
  it('delivers what the peer sends as a real connection decodes it, and completes with its end', () => {
    marbles().run(({ cold, expectObservable }) => {
      const connection = testConnection<unknown>({ codec: json(), incoming$: cold('-a-b|', { a: { at: new Date(0) }, b: [1, 'two'] }) });
      // The JSON round trip turns the Date into its string, as a peer's bytes would.
      expectObservable(connection.messages$).toBe('-a-b|', { a: { at: '1970-01-01T00:00:00.000Z' }, b: [1, 'two'] });
    });
  });

  it('emits what the sink gets on outgoing$ as the peer decodes it, and the framed bytes on outgoingBytes$', () => {
    marbles().run(({ cold, expectObservable }) => {
      const connection = testConnection<unknown>({ framing: lengthPrefix({ lengthBytes: 2 }), codec: json() });
      cold('--a-b', { a: { at: new Date(0) }, b: 'x' }).subscribe((message) => connection.sink.next(message));
      expectObservable(connection.outgoing$).toBe('--a-b', { a: { at: '1970-01-01T00:00:00.000Z' }, b: 'x' });
      expectObservable(connection.outgoingBytes$.pipe(map((bytes) => Buffer.from(bytes).toString('hex')))).toBe('--a-b', {
        a: '0021' + Buffer.from('{"at":"1970-01-01T00:00:00.000Z"}').toString('hex'),
        b: '0003' + Buffer.from('"x"').toString('hex'),
      });
    });
  });

  it('holds what arrives until messages$ is subscribed, and while nobody is, losing nothing', () => {
    marbles().run(({ cold, expectObservable }) => {
      const connection = testConnection({ ...lines, incoming$: cold('-a-b---x--c-d|') });
      connection.open();
      expectObservable(connection.messages$, '----^-!').toBe('----(ab)');
      expectObservable(connection.messages$, '--------^').toBe('--------x-c-d|');
    });
  });

  it('fails messages$, outgoing$ and closed$ with the peer’s error', () => {
    marbles().run(({ cold, expectObservable }) => {
      const connection = testConnection({ ...lines, incoming$: cold('-a-#', { a: 'hi' }, connectionReset()) });
      connection.messages$.subscribe({ next: (line) => connection.sink.next(line), error: () => undefined });
      expectObservable(connection.messages$).toBe('-a-#', { a: 'hi' }, reset);
      expectObservable(connection.outgoing$).toBe('-a-#', { a: 'hi' }, reset);
      expectObservable(connection.closed$).toBe('---(c|)', { c: { error: reset, unsentBytes: 0, unsentMessages: 0 } });
    });
  });

  it('fails with the typed error when the sink gets what the codec or framing cannot take', () => {
    marbles().run(({ cold, expectObservable }) => {
      const unencodable = testConnection<unknown>({ codec: json() });
      const tooLarge = testConnection({ framing: lengthPrefix({ maxFrameBytes: 4 }), codec: utf8() });
      cold('--x').subscribe(() => {
        unencodable.sink.next(undefined);
        tooLarge.sink.next('12345');
      });
      expectObservable(unencodable.messages$).toBe('--#', undefined, typedError({ type: EncodeError, code: 'RXSOCKET_ERR_ENCODE' }));
      expectObservable(tooLarge.outgoing$).toBe('--#', undefined, typedError({ type: FrameTooLargeError, code: 'RXSOCKET_ERR_FRAME_TOO_LARGE' }));
    });
  });

  it('fails with IdleTimeoutError after idleTimeout without traffic either way', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const connection = testConnection({ ...lines, idleTimeout: 1_000, scheduler, incoming$: cold('500ms a') });
      cold('800ms s').subscribe(() => connection.sink.next('still here'));
      expectObservable(connection.messages$).toBe('500ms a 1299ms #', undefined, typedError(IdleTimeoutError));
    });
  });

  it('ends its output when the peer ends, and keeps it open with allowHalfOpen', () => {
    marbles().run(({ cold, expectObservable }) => {
      const closing = testConnection({ ...lines, incoming$: cold('--|') });
      const halfOpen = testConnection({ ...lines, allowHalfOpen: true, incoming$: cold('--|') });
      for (const connection of [closing, halfOpen]) connection.messages$.subscribe();
      cold('----a|').subscribe({ next: (a) => [closing, halfOpen].forEach((c) => c.sink.next(a)), complete: () => halfOpen.sink.complete() });
      expectObservable(closing.outgoing$).toBe('--|');
      expectObservable(halfOpen.outgoing$).toBe('----a|');
      expectObservable(halfOpen.closed$.pipe(map((info) => info.error))).toBe('-----(u|)', { u: undefined });
    });
  });

  it('closes gracefully and destroys itself after closeTimeout when the peer never ends', () => {
    let connection: TestConnection<string, string> | undefined;
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      connection = testConnection({ ...lines, closeTimeout: 5_000, scheduler });
      const c = connection;
      cold('---x').subscribe(() => {
        c.sink.next('bye');
        c.close();
        c.sink.next('too late');
      });
      expectObservable(c.outgoing$).toBe('---(b|)', { b: 'bye' });
      expectObservable(c.messages$).toBe('5003ms |');
      expectObservable(c.closed$).toBe('5003ms (c|)', { c: { error: undefined, unsentBytes: 0, unsentMessages: 1 } });
    });
    expect(connection?.lateMessages).toBe(1);
  });

  it('errors messages$ at once with the reason given to close(reason), still ending gracefully', () => {
    marbles().run(({ cold, expectObservable }) => {
      const connection = testConnection({ ...lines, incoming$: cold('----|') });
      const reason = new Error('shutting down');
      cold('-x').subscribe(() => connection.close(reason));
      expectObservable(connection.messages$).toBe('-#', undefined, reason);
      expectObservable(connection.outgoing$).toBe('-|');
      expectObservable(connection.closed$.pipe(map((info) => info.error))).toBe('----(r|)', { r: reason });
    });
  });

  it('refuses incoming$ together with incomingBytes$', () => {
    marbles().run(({ cold }) => {
      expect(() => testConnection({ ...lines, incoming$: cold('a'), incomingBytes$: cold('b', { b: Uint8Array.of(1) }) })).toThrow(InvalidOptionError);
    });
  });
});

describe('testConnection pause and resume', () => {
  it('holds what arrives while paused and delivers it on resume, in virtual time', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const connection = testConnection<string>({ framing: delimiter(), codec: utf8(), scheduler, incoming$: cold('a-b-c|') });
      cold('-p 8ms r').subscribe((step) => (step === 'p' ? connection.pause() : connection.resume()));
      expectObservable(connection.messages$).toBe('a 9ms (bc|)');
    });
  });
});
