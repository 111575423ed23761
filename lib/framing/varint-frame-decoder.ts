import { BadVarintError, FrameTooLargeError, UnexpectedEndError } from '../errors';
import { asBuffer } from '../internal/bytes';
import { FrameDecoderBase, type FrameCallback } from './frame-decoder';
import { MAX_VARINT_BYTES } from './varint';

/**
 * The state machine behind varint-prefix framing: LENGTH (a varint, possibly split across chunks,
 * accumulated byte by byte) then BODY (a view when the payload lies in the chunk, else one
 * exact-size buffer filled as chunks arrive). A length is refused the moment its partial value
 * passes `maxFrameBytes`, before the varint even ends, and a varint longer than 10 bytes is
 * refused however small its value (zero padding cannot make a peer hold the decoder forever).
 */
export class VarintFrameDecoder extends FrameDecoderBase {
  /** The length read so far, and the weight of the next 7-bit group. */
  private length = 0;
  private weight = 1;
  /** Bytes of the varint read so far (0 between frames). */
  private lengthBytes = 0;
  /** The payload being assembled across chunks, or null while reading a length. */
  private body: Buffer | null = null;
  private bodyHave = 0;

  constructor(private readonly maxFrameBytes: number) {
    super();
  }

  get bufferedBytes(): number {
    return this.lengthBytes + this.bodyHave;
  }

  feed(input: Uint8Array, onFrame: FrameCallback): void {
    const chunk = asBuffer(input);
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const body = this.body;
      if (body !== null) {
        const take = Math.min(body.length - this.bodyHave, n - i);
        chunk.copy(body, this.bodyHave, i, i + take);
        this.bodyHave += take;
        i += take;
        if (this.bodyHave === body.length) {
          this.reset();
          onFrame(body);
        }
        continue;
      }
      const byte = chunk[i++] as number;
      this.length += (byte & 0x7f) * this.weight;
      this.weight *= 0x80;
      this.lengthBytes++;
      if (this.length > this.maxFrameBytes) throw new FrameTooLargeError(this.length, this.maxFrameBytes);
      if (byte & 0x80) {
        if (this.lengthBytes >= MAX_VARINT_BYTES) throw new BadVarintError(this.lengthBytes);
        continue;
      }
      const size = this.length;
      if (n - i >= size) {
        // The whole payload is in this chunk: a view, no copy.
        const frame = chunk.subarray(i, i + size);
        i += size;
        this.reset();
        onFrame(frame);
      } else {
        const assembled = Buffer.allocUnsafe(size);
        chunk.copy(assembled, 0, i, n);
        this.body = assembled;
        this.bodyHave = n - i;
        i = n;
      }
    }
  }

  override finish(): void {
    if (this.body !== null) throw new UnexpectedEndError(this.lengthBytes + this.bodyHave, this.lengthBytes + this.body.length);
    if (this.lengthBytes > 0) throw new UnexpectedEndError(this.lengthBytes, this.lengthBytes + 1);
  }

  private reset(): void {
    this.body = null;
    this.bodyHave = 0;
    this.length = this.lengthBytes = 0;
    this.weight = 1;
  }
}
