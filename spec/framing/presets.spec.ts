// Each wire format of ../shared/PROTOCOLS.md expressed as a framing, checked against literal bytes.
import {
  BadMagicError,
  FrameTooLargeError,
  jsockdFraming,
  jsocketFraming,
  JSOCKET_V2_MAX_FRAME_BYTES,
  onelineFraming,
  packetsocketFraming,
} from 'rxjs-socket';
import { rechunk } from 'rxjs-socket/testing';
import { decodeAll, hex, thrown } from '../helpers/frames';

/** `["é"]`: 6 bytes of UTF-8 (the length counts bytes, not characters). */
const jsonBytes = hex('5b 22 c3a9 22 5d');

function framed(parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}

describe('jsocketFraming', () => {
  it('v1: u32 big-endian byte length, then UTF-8 JSON', () => {
    const bytes = hex('00000006 5b22c3a9225d');
    expect(framed(jsocketFraming('v1').encodeFrame(jsonBytes))).toEqual(bytes);
    expect(decodeAll(jsocketFraming('v1'), [bytes])).toEqual([jsonBytes]);
  });

  it('legacy: u32 little-endian byte length', () => {
    const bytes = hex('06000000 5b22c3a9225d');
    expect(framed(jsocketFraming('legacy').encodeFrame(jsonBytes))).toEqual(bytes);
    expect(decodeAll(jsocketFraming('legacy'), rechunk(bytes, [1]))).toEqual([jsonBytes]);
  });

  it('v2: JSN1, u32 BE length, u32 BE CRC-32 of the payload (the default generation)', () => {
    const bytes = hex('4a534e31 00000006 6cb3699d 5b22c3a9225d');
    expect(framed(jsocketFraming().encodeFrame(jsonBytes))).toEqual(bytes);
    expect(decodeAll(jsocketFraming('v2'), rechunk(bytes, [5]))).toEqual([jsonBytes]);
  });

  it('v2: accepts 10 MiB and refuses one byte more, on receive and on send', () => {
    expect(JSOCKET_V2_MAX_FRAME_BYTES).toBe(10485760);
    const decoder = jsocketFraming('v2').createDecoder();
    expect(decoder.push(hex('4a534e31 00a00000 00000000'))).toEqual([]);
    const tooLarge = thrown(() => jsocketFraming('v2').createDecoder().push(hex('4a534e31 00a00001 00000000')));
    expect(tooLarge).toMatchObject({ declared: 10485761, max: 10485760 });
    expect(thrown(() => jsocketFraming('v2').encodeFrame(Buffer.alloc(10485761)))).toBeInstanceOf(FrameTooLargeError);
  });

  it('v1 reads a v2 frame as a 1,246,973,489-byte length and fails at once instead of stalling', () => {
    const v2 = framed(jsocketFraming('v2').encodeFrame(jsonBytes));
    expect(thrown(() => decodeAll(jsocketFraming('v1'), [v2]))).toMatchObject({ declared: 1246973489 });
  });

  it('v2 sees a v1 frame as a bad magic', () => {
    const v1 = framed(jsocketFraming('v1').encodeFrame(jsonBytes));
    expect(thrown(() => decodeAll(jsocketFraming('v2'), [v1]))).toBeInstanceOf(BadMagicError);
  });
});

describe('onelineFraming', () => {
  it('answers several commands of one write in order, keeps CR and passes the empty line', () => {
    expect(decodeAll(onelineFraming(), [Buffer.from('ping\ncmd01\n\nping\r\n')])).toEqual(
      ['ping', 'cmd01', '', 'ping\r'].map((s) => Buffer.from(s)),
    );
    expect(framed(onelineFraming().encodeFrame(Buffer.from('pong')))).toEqual(hex('706f6e67 0a'));
  });
});

describe('packetsocketFraming', () => {
  it('is #!?& then the body length as u32 little-endian, prefix not counted', () => {
    expect(framed(packetsocketFraming().encodeFrame(Buffer.from('hello')))).toEqual(hex('23213f26 05000000 68656c6c6f'));
  });

  it('accepts an empty body and coalesced or split packets', () => {
    const bytes = hex('23213f26 00000000  23213f26 02000000 6869');
    const expected = [Buffer.alloc(0), Buffer.from('hi')];
    expect(decodeAll(packetsocketFraming(), [bytes])).toEqual(expected);
    expect(decodeAll(packetsocketFraming(), rechunk(bytes, [1]))).toEqual(expected);
  });

  it('rejects an invalid prefix, or skips it with resync', () => {
    const bytes = hex('2321 3f27 23213f26 01000000 41');
    expect(thrown(() => decodeAll(packetsocketFraming(), [bytes]))).toBeInstanceOf(BadMagicError);
    expect(decodeAll(packetsocketFraming({ badMagic: 'resync' }), [bytes])).toEqual([Buffer.from('A')]);
  });
});

describe('jsockdFraming', () => {
  it("cuts a command into NUL-terminated fields: '<id> SEP <query> SEP <json param> SEP'", () => {
    const command = Buffer.from('7\u0000(m, p) => p.x\u0000{"x":1}\u0000');
    expect(decodeAll(jsockdFraming('commands'), [command]).map(String)).toEqual(['7', '(m, p) => p.x', '{"x":1}']);
    expect(framed(jsockdFraming('commands').encodeFrame(Buffer.from('7')))).toEqual(hex('37 00'));
  });

  it('cuts replies at LF', () => {
    const replies = Buffer.from('7 message "q?"\n7 ok 1\nquit\n');
    expect(decodeAll(jsockdFraming('replies'), [replies]).map(String)).toEqual(['7 message "q?"', '7 ok 1', 'quit']);
  });
});
