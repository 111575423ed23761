// Issue 16, item 8: unsigned LEB128 length prefix (protobuf's delimited format).
import fc from 'fast-check';
import { Reader, Writer } from 'protobufjs';
import { BadVarintError, FrameTooLargeError, InvalidOptionError, UnexpectedEndError, varintPrefix } from 'rxjs-socket';
import { rechunk, splitsAtEveryOffset } from 'rxjs-socket/testing';
import { decodeAll, hex, thrown, wire } from '../helpers/frames';

/** Protobuf's own length-delimited bytes for `payload` (protobufjs: `bytes` is varint length + data). */
function protobufDelimited(payload: Uint8Array): Buffer {
  return Buffer.from(Writer.create().bytes(payload).finish());
}

describe('varintPrefix', () => {
  // Hand-checked: 7 bits per byte, least significant first, high bit on every byte but the last.
  // 300 = 0b10_0101100 -> 0xac 0x02 (the protobuf encoding guide's own example); 150 -> 0x96 0x01.
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [150, '9601'],
    [300, 'ac02'],
    [16_383, 'ff7f'],
    [16_384, '808001'],
    [2_097_151, 'ffff7f'],
    [2_097_152, '80808001'],
  ])('writes the length %i as %s, as protobuf does', (size, header) => {
    const payload = Buffer.alloc(size, 1);
    const [first, second] = varintPrefix().encodeFrame(payload);
    expect(Buffer.from(first).toString('hex')).toBe(header);
    expect(second).toBe(payload);
    expect(Buffer.concat([first, second])).toEqual(protobufDelimited(payload));
  });

  it('matches protobufjs byte for byte on random payloads, both ways', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (payloads, size) => {
        const ours = Buffer.from(wire(varintPrefix(), payloads));
        expect(ours).toEqual(Buffer.concat(payloads.map(protobufDelimited)));
        // protobufjs reads what we write...
        const reader = Reader.create(ours);
        for (const payload of payloads) expect(Buffer.from(reader.bytes())).toEqual(Buffer.from(payload));
        // ...and we read what it writes, in any chunking.
        expect(decodeAll(varintPrefix(), rechunk(ours, [size]))).toEqual(payloads.map((p) => Buffer.from(p)));
      }),
      { numRuns: 200 },
    );
  });

  it('writes into a batch buffer the same bytes as encodeFrame', () => {
    const framing = varintPrefix();
    const target = Buffer.alloc(400);
    const end = framing.encodeInto(Buffer.alloc(300, 9), target, 3);
    expect(target.subarray(3, end)).toEqual(Buffer.concat(framing.encodeFrame(Buffer.alloc(300, 9))));
    expect(framing.overheadBytes).toBe(4); // the varint of 16 MiB
  });

  it('returns frames inside one chunk as views, and assembles split ones', () => {
    const bytes = Buffer.concat([hex('03'), Buffer.from('abc'), hex('02'), Buffer.from('de')]);
    const [a, b] = varintPrefix().createDecoder().push(bytes);
    expect(a?.buffer).toBe(bytes.buffer);
    expect(b?.buffer).toBe(bytes.buffer);
    for (const chunks of splitsAtEveryOffset(bytes)) expect(decodeAll(varintPrefix(), chunks).map(String)).toEqual(['abc', 'de']);
  });

  it('refuses a length over maxFrameBytes as soon as the partial varint passes it, before it ends', () => {
    const decoder = varintPrefix({ maxFrameBytes: 1000 }).createDecoder();
    expect(decoder.push(hex('e8'))).toEqual([]); // 104 so far: fine
    expect(decoder.push(hex('87'))).toEqual([]); // 104 + 7 * 128 = 1000, and a third byte to come
    expect(decoder.bufferedBytes).toBe(2);
    const tooLarge = thrown(() => varintPrefix({ maxFrameBytes: 1000 }).createDecoder().push(hex('e9 87')));
    expect(tooLarge).toBeInstanceOf(FrameTooLargeError);
    expect(tooLarge).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 1001, max: 1000 });
    // With the high bit still set, the length can only grow: refused without waiting for the rest.
    expect(thrown(() => varintPrefix({ maxFrameBytes: 1000 }).createDecoder().push(hex('80 80 80 01')))).toBeInstanceOf(FrameTooLargeError);
  });

  it('refuses a varint longer than 10 bytes even when its value is small (zero padding)', () => {
    const decoder = varintPrefix().createDecoder();
    expect(decoder.push(hex('80'.repeat(9)))).toEqual([]);
    const error = thrown(() => decoder.push(hex('80')));
    expect(error).toBeInstanceOf(BadVarintError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_BAD_VARINT', bytes: 10 });
    // A padded but terminated varint within 10 bytes is accepted (protobuf accepts it too).
    expect(decodeAll(varintPrefix(), [hex('8180 00'), Buffer.from('x')]).map(String)).toEqual(['x']);
  });

  it('refuses to encode a payload over maxFrameBytes', () => {
    const framing = varintPrefix({ maxFrameBytes: 4 });
    expect(thrown(() => framing.encodeFrame(Buffer.alloc(5)))).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 5, max: 4 });
    expect(thrown(() => framing.encodeInto(Buffer.alloc(5), Buffer.alloc(10), 0))).toBeInstanceOf(FrameTooLargeError);
  });

  it('fails with UnexpectedEndError when input ends inside the length or the payload', () => {
    const inLength = thrown(() => decodeAll(varintPrefix(), [hex('ac')]));
    expect(inLength).toBeInstanceOf(UnexpectedEndError);
    expect(inLength).toMatchObject({ have: 1, need: 2 });
    const inPayload = thrown(() => decodeAll(varintPrefix(), [hex('ac02'), Buffer.alloc(10)]));
    expect(inPayload).toMatchObject({ code: 'RXSOCKET_ERR_UNEXPECTED_END', have: 12, need: 302 });
  });

  it('reports the bytes of an unfinished frame', () => {
    const decoder = varintPrefix().createDecoder();
    decoder.push(hex('ac'));
    expect(decoder.bufferedBytes).toBe(1);
    decoder.push(hex('02 0102'));
    expect(decoder.bufferedBytes).toBe(4);
  });

  it('rejects a maxFrameBytes that is not a non-negative safe integer', () => {
    expect(() => varintPrefix({ maxFrameBytes: -1 })).toThrow(InvalidOptionError);
    expect(() => varintPrefix({ maxFrameBytes: 2 ** 60 })).toThrow(InvalidOptionError);
  });
});
