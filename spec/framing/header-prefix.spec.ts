import { crc32 } from 'node:zlib';
import {
  BadMagicError,
  ChecksumMismatchError,
  FrameTooLargeError,
  headerPrefix,
  InvalidOptionError,
  UnexpectedEndError,
} from 'rxjs-socket';
import { rechunk, splitsAtEveryOffset } from 'rxjs-socket/testing';
import { decodeAll, hex, thrown, wire } from '../helpers/frames';

const payloads = [Buffer.from('{"a":1}'), Buffer.alloc(0), Buffer.from('MAGIC'), Buffer.alloc(200, 0x4d)];

describe('headerPrefix', () => {
  it('writes magic, size and payload with the payload as its own part', () => {
    const payload = Buffer.from('hey');
    const [header, body] = headerPrefix({ magic: 'MG', lengthBytes: 2 }).encodeFrame(payload);
    expect(Buffer.from(header)).toEqual(hex('4d47 0003'));
    expect(body).toBe(payload);
  });

  it('puts a CRC-32 of the payload after the size field when checksum is crc32', () => {
    const [header] = headerPrefix({ magic: 'JSN1', checksum: 'crc32' }).encodeFrame(Buffer.from('hello'));
    expect(Buffer.from(header)).toEqual(hex('4a534e31 00000005 3610a686'));
  });

  it.each([
    ['without checksum', {}],
    ['with checksum', { checksum: 'crc32' as const }],
    ['little-endian, 2-byte size', { endian: 'little' as const, lengthBytes: 2 as const }],
    ['size including the header', { lengthIncludesHeader: true }],
  ])('decodes the same frames however the bytes are split (%s)', (_, options) => {
    const framing = headerPrefix({ magic: 'MAGIC', ...options });
    const bytes = wire(framing, payloads);
    for (const chunks of splitsAtEveryOffset(bytes)) expect(decodeAll(framing, chunks)).toEqual(payloads);
    expect(decodeAll(framing, rechunk(bytes, [1]))).toEqual(payloads);
  });

  it('emits a BadMagicError with the bytes it got by default', () => {
    const error = thrown(() => decodeAll(headerPrefix({ magic: 'JSN1' }), [hex('00000005 68656c6c6f')]));
    expect(error).toBeInstanceOf(BadMagicError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_BAD_MAGIC', got: hex('00000005'), expected: Buffer.from('JSN1') });
  });

  it('emits a BadMagicError when the magic goes wrong after a split', () => {
    const error = thrown(() => decodeAll(headerPrefix({ magic: 'JSN1' }), [Buffer.from('JS'), Buffer.from('X1')]));
    expect(error).toMatchObject({ got: Buffer.from('JSX1') });
  });

  it('skips to the next magic and reports the skipped bytes with badMagic: resync', () => {
    const skipped: number[] = [];
    const framing = headerPrefix({ magic: '#!?&', endian: 'little', badMagic: 'resync', onResync: (n) => skipped.push(n) });
    const good = wire(framing, [Buffer.from('ok')]);
    const bytes = Buffer.concat([Buffer.from('garbage#!'), good, Buffer.from('##!'), good]);
    expect(decodeAll(framing, [bytes])).toEqual([Buffer.from('ok'), Buffer.from('ok')]);
    expect(skipped).toEqual([9, 3]);
    skipped.length = 0;
    expect(decodeAll(framing, rechunk(bytes, [1]))).toEqual([Buffer.from('ok'), Buffer.from('ok')]);
    expect(skipped).toEqual([9, 3]);
  });

  it('finds a magic that overlaps a false start while resyncing', () => {
    const skipped: number[] = [];
    const framing = headerPrefix({ magic: 'AAB', lengthBytes: 1, badMagic: 'resync', onResync: (n) => skipped.push(n) });
    const bytes = Buffer.concat([Buffer.from('AAAAB'), hex('01'), Buffer.from('z')]);
    for (const chunks of splitsAtEveryOffset(bytes)) {
      skipped.length = 0;
      expect(decodeAll(framing, chunks)).toEqual([Buffer.from('z')]);
      expect(skipped).toEqual([2]);
    }
  });

  it('reports bytes skipped at the end of input', () => {
    const skipped: number[] = [];
    const framing = headerPrefix({ magic: 'MG', badMagic: 'resync', onResync: (n) => skipped.push(n) });
    expect(decodeAll(framing, [Buffer.from('junk')])).toEqual([]);
    expect(skipped).toEqual([4]);
    expect(framing.createDecoder()).toHaveProperty('skippedBytes', 0);
  });

  it('emits a ChecksumMismatchError when the payload does not match its CRC-32', () => {
    const framing = headerPrefix({ magic: 'JSN1', checksum: 'crc32' });
    const bytes = Buffer.from(wire(framing, [Buffer.from('hello')]));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    const error = thrown(() => decodeAll(framing, [bytes]));
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_CHECKSUM_MISMATCH', expected: 0x3610a686, actual: crc32('helln') });
  });

  it('checks the checksum of a payload assembled across chunks', () => {
    const framing = headerPrefix({ magic: 'JSN1', checksum: 'crc32' });
    const bytes = Buffer.from(wire(framing, [Buffer.from('hello')]));
    bytes.writeUInt8(bytes.readUInt8(12) ^ 1, 12);
    expect(thrown(() => decodeAll(framing, rechunk(bytes, [13])))).toBeInstanceOf(ChecksumMismatchError);
  });

  it('emits a FrameTooLargeError from the header alone', () => {
    const decoder = headerPrefix({ magic: 'JSN1', maxFrameBytes: 4 }).createDecoder();
    expect(thrown(() => decoder.push(hex('4a534e31 00000005')))).toMatchObject({ declared: 5, max: 4 });
    expect(thrown(() => headerPrefix({ magic: 'M', maxFrameBytes: 4 }).encodeFrame(Buffer.alloc(5)))).toBeInstanceOf(
      FrameTooLargeError,
    );
  });

  it('emits an UnexpectedEndError when input ends inside the header or the payload', () => {
    const framing = headerPrefix({ magic: 'JSN1', checksum: 'crc32' });
    expect(thrown(() => decodeAll(framing, [hex('4a534e31 0000')]))).toMatchObject({ have: 6, need: 12 });
    const error = thrown(() => decodeAll(framing, [hex('4a534e31 00000005 00000000 6865')]));
    expect(error).toBeInstanceOf(UnexpectedEndError);
    expect(error).toMatchObject({ have: 14, need: 17 });
  });

  it('still takes the deprecated name onBadMagic (until 0.3.0), and badMagic wins over it', () => {
    const noisy = Buffer.concat([Buffer.from('x'), ...headerPrefix({ magic: 'MG' }).encodeFrame(Buffer.from('ok'))]);
    const skipped: number[] = [];
    expect(decodeAll(headerPrefix({ magic: 'MG', onBadMagic: 'resync', onResync: (n) => skipped.push(n) }), [noisy])).toEqual([Buffer.from('ok')]);
    expect(skipped).toEqual([1]);
    expect(thrown(() => decodeAll(headerPrefix({ magic: 'MG', badMagic: 'error', onBadMagic: 'resync' }), [noisy]))).toBeInstanceOf(BadMagicError);
  });

  it.each([[{ magic: '' }], [{ magic: 'M', badMagic: 'skip' as 'error' }], [{ magic: 'M', checksum: 'md5' as 'none' }]])(
    'throws an InvalidOptionError for %j',
    (options) => {
      expect(thrown(() => headerPrefix(options))).toBeInstanceOf(InvalidOptionError);
    },
  );
});
