import { catchError, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  decodeMessages,
  DecodeError,
  DEFAULT_JSON_MAX_FRAME_BYTES,
  encodeMessages,
  EncodeError,
  FrameTooLargeError,
  InvalidOptionError,
  json,
  raw,
  utf8,
  type Codec,
} from 'rxjs-socket';
import { plainError } from 'rxjs-socket/testing';
import { hex, thrown } from '../helpers/frames';

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

  it('refuses a text over 1 MiB by default, on decode (before parsing) and on encode', () => {
    const atLimit = Buffer.from(JSON.stringify('x'.repeat(DEFAULT_JSON_MAX_FRAME_BYTES - 2)));
    expect(DEFAULT_JSON_MAX_FRAME_BYTES).toBe(1024 * 1024);
    expect(json().decode(atLimit)).toHaveLength(DEFAULT_JSON_MAX_FRAME_BYTES - 2);
    // One byte more, and not even valid JSON: the size is checked first.
    const over = Buffer.concat([atLimit, Buffer.from('{')]);
    const decoding = thrown(() => json().decode(over));
    expect(decoding).toBeInstanceOf(FrameTooLargeError);
    expect(decoding).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: over.length, max: DEFAULT_JSON_MAX_FRAME_BYTES });
    const encoding = thrown(() => json().encode('y'.repeat(DEFAULT_JSON_MAX_FRAME_BYTES)));
    expect(encoding).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: DEFAULT_JSON_MAX_FRAME_BYTES + 2 });
  });

  it('takes its own maxFrameBytes; Infinity leaves the framing as the only limit', () => {
    expect(() => json({ maxFrameBytes: 4 }).decode(Buffer.from('12345'))).toThrow(FrameTooLargeError);
    expect(json({ maxFrameBytes: 5 }).decode(Buffer.from('12345'))).toBe(12345);
    const big = 'z'.repeat(2 * DEFAULT_JSON_MAX_FRAME_BYTES);
    const codec = json({ maxFrameBytes: Infinity });
    expect(codec.decode(codec.encode(big))).toBe(big);
    expect(() => json({ maxFrameBytes: -1 })).toThrow(InvalidOptionError);
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
