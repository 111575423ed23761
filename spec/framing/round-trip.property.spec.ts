// Property: for any frames and any chunking, decode(encode(frames)) returns the frames.
import fc from 'fast-check';
import { lastValueFrom, from, count } from 'rxjs';
import { delimiter, headerPrefix, lengthPrefix, varintPrefix, type Framing } from 'rxjs-socket';
import { rechunk, splitsAtEveryOffset } from 'rxjs-socket/testing';
import { decodeAll, decodeAllRx, wire } from '../helpers/frames';

const anyBytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));
/** Payloads without the byte 0x0a (the delimiter framing's delimiter) nor the sequence "\r\n". */
const lineBytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0a && b !== 0x0d)));

const cases: Array<[string, () => Framing, fc.Arbitrary<Buffer>]> = [
  ['lengthPrefix u8', () => lengthPrefix({ lengthBytes: 1 }), anyBytes],
  ['lengthPrefix u16le incl. header', () => lengthPrefix({ lengthBytes: 2, endian: 'little', lengthIncludesHeader: true }), anyBytes],
  ['lengthPrefix u32be', () => lengthPrefix(), anyBytes],
  ['lengthPrefix u64le', () => lengthPrefix({ lengthBytes: 8, endian: 'little' }), anyBytes],
  ['delimiter LF', () => delimiter(), lineBytes],
  ['delimiter CRLF', () => delimiter({ delimiter: '\r\n' }), lineBytes],
  ['headerPrefix + crc32', () => headerPrefix({ magic: 'JSN1', checksum: 'crc32' }), anyBytes],
  ['headerPrefix u16le', () => headerPrefix({ magic: '#!?&', lengthBytes: 2, endian: 'little' }), anyBytes],
  ['varintPrefix', () => varintPrefix(), anyBytes],
  ['varintPrefix, 200-byte payloads (2-byte lengths)', () => varintPrefix({ maxFrameBytes: 300 }), fc.uint8Array({ minLength: 120, maxLength: 200 }).map((a) => Buffer.from(a))],
];

describe.each(cases)('%s', (_, make, payload) => {
  const framing = make();
  const frames = fc.array(payload, { maxLength: 12 });

  it('decodes what it encodes, in chunks of any sizes', () => {
    fc.assert(
      fc.property(frames, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), (list, sizes) => {
        const bytes = wire(framing, list);
        expect(decodeAll(framing, rechunk(bytes, sizes))).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes what it encodes when split at every offset, byte by byte, or in one chunk', () => {
    fc.assert(
      fc.property(frames, (list) => {
        const bytes = wire(framing, list);
        for (const chunks of splitsAtEveryOffset(bytes)) expect(decodeAll(framing, chunks)).toEqual(list);
        expect(decodeAll(framing, rechunk(bytes, [1]))).toEqual(list);
        expect(decodeAll(framing, [bytes])).toEqual(list);
      }),
      { numRuns: 60 },
    );
  });

  it('decodes the same through the RxJS operator', async () => {
    await fc.assert(
      fc.asyncProperty(frames, fc.integer({ min: 1, max: 32 }), async (list, size) => {
        expect(await decodeAllRx(framing, rechunk(wire(framing, list), [size]))).toEqual(list);
      }),
      { numRuns: 100 },
    );
  });

  it('writes with encodeInto exactly the bytes of encodeFrame', () => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 16 }), (bytes, offset) => {
        const target = Buffer.alloc(offset + framing.overheadBytes + bytes.length);
        const end = framing.encodeInto(bytes, target, offset);
        const expected = Buffer.concat(framing.encodeFrame(bytes));
        // overheadBytes is the most a frame adds: exact for fixed headers, a bound for varints.
        expect(end).toBe(offset + expected.length);
        expect(end).toBeLessThanOrEqual(target.length);
        expect(target.subarray(offset, end)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes 100,000 frames in one chunk without growing the stack', async () => {
    const bytes = wire(framing, Array.from({ length: 100_000 }, () => Buffer.from('x')));
    expect(framing.createDecoder().push(bytes)).toHaveLength(100_000);
    expect(await lastValueFrom(from([bytes]).pipe(framing.decode(), count()))).toBe(100_000);
  });
});

describe('bad input', () => {
  it('always ends in a typed error or frames, never anything else, for random bytes', () => {
    const framings = cases.map(([, make]) => make());
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 8 }), (bytes, size) => {
        for (const framing of framings) {
          try {
            decodeAll(framing, rechunk(bytes, [size]));
          } catch (e) {
            expect(e).toHaveProperty('code', expect.stringMatching(/^RXSOCKET_ERR_/));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
