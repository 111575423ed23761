import {
  BadLengthError,
  FrameTooLargeError,
  InvalidOptionError,
  lengthPrefix,
  RxSocketError,
  UnexpectedEndError,
} from 'rxjs-socket';
import { rechunk, splitsAtEveryOffset } from 'rxjs-socket/testing';
import { decodeAll, hex, thrown, wire } from '../helpers/frames';

const payloads = [Buffer.from('hello'), Buffer.alloc(0), Buffer.from('wörld'), Buffer.alloc(300, 7)];

describe('lengthPrefix', () => {
  it('writes a 4-byte big-endian length by default, header and payload as separate parts', () => {
    const payload = Buffer.from('hi');
    const parts = lengthPrefix().encodeFrame(payload);
    expect(parts).toHaveLength(2);
    expect(Buffer.from(parts[0])).toEqual(hex('00000002'));
    expect(parts[1]).toBe(payload);
  });

  it.each([
    [1, 'big', '05'],
    [2, 'big', '0005'],
    [2, 'little', '0500'],
    [4, 'little', '05000000'],
    [8, 'big', '0000000000000005'],
    [8, 'little', '0500000000000000'],
  ] as const)('encodes and decodes a %i-byte %s-endian length', (lengthBytes, endian, header) => {
    const framing = lengthPrefix({ lengthBytes, endian });
    expect(Buffer.from(framing.encodeFrame(Buffer.from('hello'))[0])).toEqual(hex(header));
    expect(decodeAll(framing, [hex(header), Buffer.from('hello')])).toEqual([Buffer.from('hello')]);
  });

  it('counts the header in the length when lengthIncludesHeader is set', () => {
    const framing = lengthPrefix({ lengthBytes: 2, lengthIncludesHeader: true });
    expect(Buffer.from(framing.encodeFrame(Buffer.from('abc'))[0])).toEqual(hex('0005'));
    expect(decodeAll(framing, [hex('0005 616263 0002')])).toEqual([Buffer.from('abc'), Buffer.alloc(0)]);
  });

  it('emits a BadLengthError if a length that includes the header is smaller than the header', () => {
    const framing = lengthPrefix({ lengthBytes: 2, lengthIncludesHeader: true });
    const error = thrown(() => decodeAll(framing, [hex('0001')]));
    expect(error).toBeInstanceOf(BadLengthError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_BAD_LENGTH', declared: 1, min: 2 });
  });

  it('decodes the same frames however the bytes are split', () => {
    const framing = lengthPrefix();
    const bytes = wire(framing, payloads);
    for (const chunks of splitsAtEveryOffset(bytes)) expect(decodeAll(framing, chunks)).toEqual(payloads);
    expect(decodeAll(framing, rechunk(bytes, [1]))).toEqual(payloads);
    expect(decodeAll(framing, [bytes])).toEqual(payloads);
  });

  it('returns frames inside one chunk as views of that chunk, not copies', () => {
    const chunk = Buffer.from(wire(lengthPrefix(), [Buffer.from('abc'), Buffer.from('de')]));
    const frames = lengthPrefix().createDecoder().push(chunk);
    expect(frames.map((f) => f.buffer)).toEqual([chunk.buffer, chunk.buffer]);
    expect(frames[0]?.byteOffset).toBe(chunk.byteOffset + 4);
  });

  it('emits a FrameTooLargeError as soon as the length is read, before the payload arrives', () => {
    const decoder = lengthPrefix({ maxFrameBytes: 10 }).createDecoder();
    const error = thrown(() => decoder.push(hex('0000000b')));
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 11, max: 10 });
  });

  it('accepts a frame of exactly maxFrameBytes', () => {
    const framing = lengthPrefix({ maxFrameBytes: 3 });
    expect(decodeAll(framing, [wire(framing, [Buffer.from('abc')])])).toEqual([Buffer.from('abc')]);
  });

  it('refuses to encode a payload over maxFrameBytes', () => {
    const error = thrown(() => lengthPrefix({ maxFrameBytes: 2 }).encodeFrame(Buffer.from('abc')));
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 3, max: 2 });
  });

  it('rejects a huge 8-byte length without allocating it', () => {
    const error = thrown(() => decodeAll(lengthPrefix({ lengthBytes: 8 }), [hex('ffffffffffffffff')]));
    expect(error).toBeInstanceOf(FrameTooLargeError);
  });

  it('emits an UnexpectedEndError with have and need when input ends mid-payload', () => {
    const error = thrown(() => decodeAll(lengthPrefix(), [hex('00000005 6869')]));
    expect(error).toBeInstanceOf(UnexpectedEndError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_UNEXPECTED_END', have: 6, need: 9 });
  });

  it('emits an UnexpectedEndError when input ends mid-header', () => {
    expect(thrown(() => decodeAll(lengthPrefix(), [hex('0000')]))).toMatchObject({ have: 2, need: 4 });
  });

  it('reports the bytes of an unfinished frame it holds', () => {
    const decoder = lengthPrefix().createDecoder();
    decoder.push(hex('000000'));
    expect(decoder.bufferedBytes).toBe(3);
    decoder.push(hex('05 6162'));
    expect(decoder.bufferedBytes).toBe(6);
    decoder.push(hex('636465'));
    expect(decoder.bufferedBytes).toBe(0);
  });

  it.each([
    [{ lengthBytes: 3 as 4 }],
    [{ endian: 'middle' as 'big' }],
    [{ lengthBytes: 1 as const, maxFrameBytes: 256 }],
    [{ maxFrameBytes: -1 }],
  ])('throws an InvalidOptionError for %j', (options) => {
    expect(thrown(() => lengthPrefix(options))).toBeInstanceOf(InvalidOptionError);
  });

  it('limits frames to what the length field can express by default', () => {
    expect(lengthPrefix({ lengthBytes: 1 }).maxFrameBytes).toBe(255);
    expect(lengthPrefix({ lengthBytes: 2, lengthIncludesHeader: true }).maxFrameBytes).toBe(65533);
    expect(lengthPrefix().maxFrameBytes).toBe(16 * 1024 * 1024);
  });
});
