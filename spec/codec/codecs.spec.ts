import { catchError, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { decodeMessages, DecodeError, encodeMessages, EncodeError, json, raw, utf8, type Codec } from 'rxjs-socket';
import { plainError } from 'rxjs-socket/testing';
import { hex } from '../helpers/frames';

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('json', () => {
  it.each([[{ a: 1 }], [[1, 'two']], ['text'], [3.5], [false], [0], [{}], [null]])('round-trips %j', (value) => {
    const codec = json();
    expect(codec.decode(codec.encode(value))).toEqual(value);
  });

  it('writes UTF-8, so lengths count bytes', () => {
    expect(Buffer.from(json().encode('é'))).toEqual(hex('22 c3a9 22'));
  });

  it('throws on invalid JSON and invalid UTF-8', () => {
    expect(() => json().decode(Buffer.from('{"a":'))).toThrow(SyntaxError);
    expect(() => json().decode(hex('22 ff 22'))).toThrow('not valid UTF-8');
  });

  it('throws on values JSON cannot represent', () => {
    expect(() => json().encode(undefined)).toThrow(TypeError);
    expect(() => json().encode(10n)).toThrow(TypeError);
  });
});

describe('utf8', () => {
  it('round-trips text and keeps a byte-order mark', () => {
    const codec = utf8();
    expect(codec.decode(codec.encode('\ufeffhé 👋'))).toBe('\ufeffhé 👋');
  });

  it('rejects invalid UTF-8 unless fatal is false', () => {
    expect(() => utf8().decode(hex('61 c3'))).toThrow();
    expect(utf8({ fatal: false }).decode(hex('61 c3'))).toBe('a\ufffd');
  });
});

describe('raw', () => {
  it('passes bytes through without copying', () => {
    const bytes = Uint8Array.of(1, 2);
    expect(raw().decode(bytes)).toBe(bytes);
    expect(raw().encode(bytes)).toBe(bytes);
  });
});

describe('decodeMessages', () => {
  it('decodes each frame, and errors with a DecodeError carrying the cause and the frame size', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const frames = cold('a-b-c', { a: Buffer.from('1'), b: Buffer.from('{'), c: Buffer.from('2') });
      expectObservable(frames.pipe(decodeMessages(json()))).toBe('a-#', { a: 1 }, expect.any(DecodeError) as unknown);
    });
    let error: unknown;
    of(Buffer.from('{x')).pipe(decodeMessages(json())).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_DECODE', frameBytes: 2, cause: expect.any(SyntaxError) as unknown });
  });

  it('wraps an error thrown by a custom codec', () => {
    const failing: Codec<never> = {
      name: 'failing',
      encode: () => new Uint8Array(0),
      decode: () => {
        throw new RangeError('nope');
      },
    };
    newScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a', { a: Buffer.from('xyz') }).pipe(
        decodeMessages(failing),
        catchError((e: unknown) => of({ ...plainError(e), cause: (e as Error).cause })),
      );
      expectObservable(out).toBe('(e|)', {
        e: {
          name: 'DecodeError',
          code: 'RXSOCKET_ERR_DECODE',
          message: 'cannot decode frame of 3 bytes: nope',
          cause: new RangeError('nope'),
        },
      });
    });
  });
});

describe('encodeMessages', () => {
  it('encodes each value and errors with an EncodeError on a value the codec refuses', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const values = cold<unknown>('a-b', { a: { ok: true }, b: undefined });
      expectObservable(values.pipe(encodeMessages(json()))).toBe('a-#', { a: Buffer.from('{"ok":true}') }, expect.any(EncodeError) as unknown);
    });
  });
});
