import { delimiter, DelimiterInPayloadError, FrameTooLargeError, InvalidOptionError, UnexpectedEndError } from 'rxjs-socket';
import { rechunk, splitsAtEveryOffset } from 'rxjs-socket/testing';
import { decodeAll, hex, thrown, wire } from '../helpers/frames';

const lines = ['one', '', 'three', 'vier ü'].map((s) => Buffer.from(s));

describe('delimiter', () => {
  it('cuts lines at LF by default and frames a payload as [payload, delimiter]', () => {
    const framing = delimiter();
    const payload = Buffer.from('ping');
    const parts = framing.encodeFrame(payload);
    expect(parts[0]).toBe(payload);
    expect(Buffer.from(parts[1])).toEqual(hex('0a'));
    expect(decodeAll(framing, [Buffer.from('a\nbc\n\n')])).toEqual(['a', 'bc', ''].map((s) => Buffer.from(s)));
  });

  it('decodes the same frames however the bytes are split', () => {
    for (const d of ['\n', '\r\n', '<END>', 0x00]) {
      const framing = delimiter({ delimiter: d });
      const bytes = wire(framing, lines);
      for (const chunks of splitsAtEveryOffset(bytes)) expect(decodeAll(framing, chunks)).toEqual(lines);
      expect(decodeAll(framing, rechunk(bytes, [1]))).toEqual(lines);
      expect(decodeAll(framing, rechunk(bytes, [2, 3]))).toEqual(lines);
    }
  });

  it('finds a multi-byte delimiter that starts in one chunk and ends in a later one', () => {
    const framing = delimiter({ delimiter: 'ABCD' });
    expect(decodeAll(framing, [Buffer.from('xyzA'), Buffer.from('B'), Buffer.from('CDq'), Buffer.from('ABCD')])).toEqual([
      Buffer.from('xyz'),
      Buffer.from('q'),
    ]);
    // A false start ("AB" then "X") is payload, not a delimiter.
    expect(decodeAll(framing, [Buffer.from('1AB'), Buffer.from('XABC'), Buffer.from('D')])).toEqual([Buffer.from('1ABX')]);
  });

  it('splits at NUL for jsockd-style fields', () => {
    expect(decodeAll(delimiter({ delimiter: 0 }), [hex('31 00 28 29 00')])).toEqual([Buffer.from('1'), Buffer.from('()')]);
  });

  it('keeps a CR unless stripCR is set', () => {
    expect(decodeAll(delimiter(), [Buffer.from('ping\r\n')])).toEqual([Buffer.from('ping\r')]);
    expect(decodeAll(delimiter({ stripCR: true }), [Buffer.from('ping\r\npong\n')])).toEqual([
      Buffer.from('ping'),
      Buffer.from('pong'),
    ]);
  });

  it('emits an UnexpectedEndError for a trailing fragment by default', () => {
    const error = thrown(() => decodeAll(delimiter(), [Buffer.from('a\nbc')]));
    expect(error).toBeInstanceOf(UnexpectedEndError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_UNEXPECTED_END', have: 2, need: 3 });
  });

  it("emits a trailing fragment as the last frame with trailing: 'emit'", () => {
    expect(decodeAll(delimiter({ trailing: 'emit' }), [Buffer.from('a\nb'), Buffer.from('c')])).toEqual([
      Buffer.from('a'),
      Buffer.from('bc'),
    ]);
  });

  it('ends cleanly when the input ends on a delimiter', () => {
    expect(decodeAll(delimiter(), [Buffer.from('a\n')])).toEqual([Buffer.from('a')]);
  });

  it('emits a FrameTooLargeError as soon as unterminated data passes maxFrameBytes', () => {
    const decoder = delimiter({ maxFrameBytes: 4 }).createDecoder();
    decoder.push(Buffer.from('abcd'));
    const error = thrown(() => decoder.push(Buffer.from('e')));
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({ declared: 5, max: 4 });
  });

  it('accepts a frame of exactly maxFrameBytes even when its delimiter arrives byte by byte', () => {
    const framing = delimiter({ delimiter: '\r\n', maxFrameBytes: 4 });
    expect(decodeAll(framing, rechunk(Buffer.from('abcd\r\n'), [1]))).toEqual([Buffer.from('abcd')]);
  });

  it('rejects a complete frame over maxFrameBytes inside one chunk', () => {
    expect(thrown(() => decodeAll(delimiter({ maxFrameBytes: 2 }), [Buffer.from('abc\n')]))).toBeInstanceOf(
      FrameTooLargeError,
    );
  });

  it('refuses to encode a payload that contains the delimiter', () => {
    const error = thrown(() => delimiter().encodeFrame(Buffer.from('two\nlines')));
    expect(error).toBeInstanceOf(DelimiterInPayloadError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_DELIMITER_IN_PAYLOAD', offset: 3 });
  });

  it('refuses to encode a payload over maxFrameBytes', () => {
    expect(thrown(() => delimiter({ maxFrameBytes: 1 }).encodeFrame(Buffer.from('ab')))).toBeInstanceOf(FrameTooLargeError);
  });

  it('returns frames inside one chunk as views of that chunk', () => {
    const chunk = Buffer.from('ab\ncd\n');
    const frames = delimiter().createDecoder().push(chunk);
    expect(frames.every((f) => f.buffer === chunk.buffer)).toBe(true);
  });

  it('reports the bytes of an unterminated frame it holds', () => {
    const decoder = delimiter().createDecoder();
    decoder.push(Buffer.from('a\nbcd'));
    expect(decoder.bufferedBytes).toBe(3);
  });

  it.each([[{ delimiter: '' }], [{ trailing: 'drop' as 'emit' }], [{ maxFrameBytes: 1.5 }]])(
    'throws an InvalidOptionError for %j',
    (options) => {
      expect(thrown(() => delimiter(options))).toBeInstanceOf(InvalidOptionError);
    },
  );
});
