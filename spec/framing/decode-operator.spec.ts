// The RxJS side of every framing: decode()/encode() operators, checked with marbles.
import { catchError, from, map, of, take, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { delimiter, headerPrefix, lengthPrefix, type Framing } from 'rxjs-socket';
import { plainError } from 'rxjs-socket/testing';
import { hex } from '../helpers/frames';

const framings: Array<[string, Framing]> = [
  ['lengthPrefix', lengthPrefix({ lengthBytes: 1 })],
  ['delimiter', delimiter()],
  ['headerPrefix', headerPrefix({ magic: 'M', lengthBytes: 1 })],
];

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const text = (frames$: Observable<Uint8Array>): Observable<string> =>
  frames$.pipe(
    map((f) => Buffer.from(f).toString()),
    catchError((e: unknown) => of(plainError(e).code ?? 'no code')),
  );

describe.each(framings)('%s().decode()', (_, framing) => {
  const wireOf = (s: string): Buffer => Buffer.concat(framing.encodeFrame(Buffer.from(s)));
  const ab = Buffer.concat([wireOf('a'), wireOf('bc')]);

  it('emits frames when they complete, across chunk boundaries', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const chunks = { x: ab.subarray(0, 1), y: ab.subarray(1, ab.length - 1), z: ab.subarray(ab.length - 1) };
      expectObservable(text(cold('x-y-z|', chunks).pipe(framing.decode()))).toBe('--a-b|', { a: 'a', b: 'bc' });
    });
  });

  it('completes on an empty source and stays silent on a never source', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Uint8Array>('|').pipe(framing.decode())).toBe('|');
      expectObservable(cold<Uint8Array>('-').pipe(framing.decode())).toBe('-');
    });
  });

  it('passes a source error through unchanged', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Uint8Array>('-#', {}, new Error('boom')).pipe(framing.decode())).toBe('-#', {}, new Error('boom'));
    });
  });

  it('errors with UnexpectedEndError when the source completes mid-frame', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const half = { h: ab.subarray(0, ab.length - 1) };
      expectObservable(text(cold('h|', half).pipe(framing.decode()))).toBe('a(e|)', {
        a: 'a',
        e: 'RXSOCKET_ERR_UNEXPECTED_END',
      });
    });
  });

  it('unsubscribes from the source when the subscriber unsubscribes early', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('x-x-x-x', { x: wireOf('q') });
      expectObservable(source.pipe(framing.decode()), '^--!').toBe('q-q-', { q: expect.anything() as unknown });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('keeps the unsubscription chain intact through take()', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('x-x-x', { x: wireOf('q') });
      expectObservable(text(source.pipe(framing.decode(), take(2)))).toBe('q-(q|)', { q: 'q' });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('stops a synchronous infinite source when the subscriber unsubscribes', () => {
    let pulled = 0;
    function* forever(): Generator<Uint8Array> {
      for (;;) {
        pulled++;
        yield wireOf('z');
      }
    }
    const got: string[] = [];
    from(forever()).pipe(framing.decode(), take(3)).subscribe((f) => got.push(Buffer.from(f).toString()));
    expect(got).toEqual(['z', 'z', 'z']);
    expect(pulled).toBe(3);
  });

  it('gives each subscription its own decoder state', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const half = cold('h|', { h: ab.subarray(0, 1) });
      const decoded = text(half.pipe(framing.decode()));
      expectObservable(decoded).toBe('-(e|)', { e: 'RXSOCKET_ERR_UNEXPECTED_END' });
      expectObservable(decoded).toBe('-(e|)', { e: 'RXSOCKET_ERR_UNEXPECTED_END' });
    });
  });
});

describe('decode() with a user callback', () => {
  it('errors the stream when onResync throws', () => {
    const failure = new Error('callback failed');
    const framing = headerPrefix({
      magic: 'M',
      lengthBytes: 1,
      badMagic: 'resync',
      onResync: () => {
        throw failure;
      },
    });
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('x|', { x: hex('00 4d 00') }).pipe(framing.decode())).toBe('#', {}, failure);
    });
  });
});

describe('encode()', () => {
  it('maps payloads to wire parts and errors on a payload it cannot frame', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const framing = delimiter();
      const out = cold('a-b', { a: Buffer.from('ok'), b: Buffer.from('x\ny') }).pipe(
        framing.encode(),
        map((parts) => Buffer.concat(parts).toString()),
        catchError((e: unknown) => of(plainError(e).code ?? '')),
      );
      expectObservable(out).toBe('a-(b|)', { a: 'ok\n', b: 'RXSOCKET_ERR_DELIMITER_IN_PAYLOAD' });
    });
  });
});
