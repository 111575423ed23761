// Issue 16, item 9: a framing written outside the library, with the exported helpers, works on a connection.
import { from, lastValueFrom, toArray } from 'rxjs';
import { decodeFramesWith, defineFraming, FrameDecoderBase, fromSocket, UnexpectedEndError, utf8, type FrameCallback, type Framing } from 'rxjs-socket';
import { duplexPair } from 'rxjs-socket/testing';

/** Frames end with a byte 0xff (a toy framing, written as a user would). */
class StopByteDecoder extends FrameDecoderBase {
  private held: Buffer[] = [];
  get bufferedBytes(): number {
    return this.held.reduce((n, b) => n + b.length, 0);
  }
  feed(chunk: Uint8Array, onFrame: FrameCallback): void {
    let bytes = Buffer.from(chunk);
    for (let at = bytes.indexOf(0xff); at !== -1; at = bytes.indexOf(0xff)) {
      onFrame(Buffer.concat([...this.held, bytes.subarray(0, at)]));
      this.held = [];
      bytes = bytes.subarray(at + 1);
    }
    if (bytes.length > 0) this.held.push(bytes);
  }
}

const stopByte: Framing = defineFraming({
  name: 'stop-byte',
  maxFrameBytes: 1024,
  overheadBytes: 1,
  createDecoder: () => new StopByteDecoder(),
  encodeFrame: (payload) => [payload, Uint8Array.of(0xff)],
  encodeInto: (payload, target, offset) => {
    target.set(payload, offset);
    target[offset + payload.byteLength] = 0xff;
    return offset + payload.byteLength + 1;
  },
});

describe('custom framings', () => {
  it('defineFraming makes a user decoder work on a connection, both ways', async () => {
    const [a, b] = duplexPair();
    const left = fromSocket(a, { framing: stopByte, codec: utf8() });
    const right = fromSocket(b, { framing: stopByte, codec: utf8() });
    left.sink.next('hello');
    left.sink.next('world');
    left.sink.complete();
    expect(await lastValueFrom(right.messages$.pipe(toArray()))).toEqual(['hello', 'world']);
  });

  it('decodeFramesWith is the decoding operator alone', async () => {
    const frames = await lastValueFrom(from([Uint8Array.of(1, 0xff, 2), Uint8Array.of(3, 0xff)]).pipe(decodeFramesWith(() => new StopByteDecoder()), toArray()));
    expect(frames.map((f) => [...f])).toEqual([[1], [2, 3]]);
  });

  it('FrameDecoderBase gives push/end from feed, and its finish refuses input cut mid-frame', () => {
    const decoder = new StopByteDecoder();
    expect(decoder.push(Uint8Array.of(1, 0xff, 2, 0xff, 3)).map((f) => [...f])).toEqual([[1], [2]]);
    expect(() => decoder.end()).toThrow(UnexpectedEndError);
    const clean = new StopByteDecoder();
    clean.push(Uint8Array.of(4, 0xff));
    expect(clean.end()).toEqual([]);
  });

  it('feed hands each frame to the callback as it is cut, before the rest of the chunk is read', () => {
    const seen: number[][] = [];
    new StopByteDecoder().feed(Uint8Array.of(1, 0xff, 2, 0xff), (frame) => seen.push([...frame]));
    expect(seen).toEqual([[1], [2]]);
  });
});
