import { crc32 } from 'node:zlib';
import {
  BadLengthError,
  BadMagicError,
  ChecksumMismatchError,
  FrameTooLargeError,
  UnexpectedEndError,
} from '../errors';
import { PARTIAL_FRAME_FIRST_BYTES } from '../constants';
import { asBuffer, readUint } from '../internal/bytes';
import { FrameDecoderBase, type FrameCallback } from './frame-decoder';

/** The resolved layout of a prefixed frame: `magic | length | crc32? | payload`. */
export interface PrefixLayout {
  /** Constant bytes every frame starts with (empty for plain length-prefix). */
  readonly magic: Buffer;
  /** Width of the length field: 1, 2, 4 or 8 bytes. */
  readonly lengthBytes: number;
  /** Byte order of the length and checksum fields. */
  readonly littleEndian: boolean;
  /** The length counts the whole header as well as the payload. */
  readonly lengthIncludesHeader: boolean;
  /** A CRC-32 (zlib polynomial) of the payload follows the length field. */
  readonly checksum: boolean;
  /** Largest payload accepted. */
  readonly maxFrameBytes: number;
  /** On a wrong magic: skip ahead to the next magic instead of failing. */
  readonly resync: boolean;
  /** Told how many bytes were skipped, once the next magic is found (or input ends). */
  readonly onResync: ((skippedBytes: number) => void) | undefined;
}

/** Total header size of a layout. */
export function headerSize(layout: PrefixLayout): number {
  return layout.magic.length + layout.lengthBytes + (layout.checksum ? 4 : 0);
}

/**
 * The state machine behind length-prefix and header-prefix framing: HEADER (collecting a header,
 * possibly split across chunks, into a small scratch buffer) then BODY (a view when the payload
 * lies in the chunk, else a buffer filled as chunks arrive). The limit is checked as soon as the
 * length is read, before anything is allocated for the payload.
 *
 * A payload that spans chunks is never allocated at its declared size up front: its buffer starts
 * at what has arrived (at least {@link PARTIAL_FRAME_FIRST_BYTES}) and doubles as more arrives, capped at
 * the declared size, so memory follows the bytes a peer has sent, not the bytes it has announced.
 * The completed buffer is exactly the payload's size.
 */
export class PrefixedFrameDecoder extends FrameDecoderBase {
  // The layout, unpacked into fields once: the per-frame path reads nothing else.
  private readonly magic: Buffer;
  private readonly magicBytes: number;
  private readonly lengthBytes: number;
  private readonly littleEndian: boolean;
  private readonly includesHeader: boolean;
  private readonly checksum: boolean;
  private readonly maxFrameBytes: number;
  private readonly headerBytes: number;
  /** Where a header split across chunks is collected: made the first time one is (see `scratch`). */
  private scratchBuffer: Buffer | null = null;
  /** Header bytes collected in `scratch`. */
  private have = 0;
  /** The payload being assembled across chunks (grown as it arrives), or null while reading a header. */
  private body: Buffer | null = null;
  /** Payload bytes in `body`. */
  private bodyHave = 0;
  /** The payload's declared size. */
  private bodySize = 0;
  private expectedCrc = 0;
  /** Bytes skipped by resync and not yet reported. */
  private unreportedSkip = 0;
  /** Total bytes skipped by resync over the decoder's life. */
  skippedBytes = 0;

  constructor(private readonly layout: PrefixLayout) {
    super();
    this.magic = layout.magic;
    this.magicBytes = layout.magic.length;
    this.lengthBytes = layout.lengthBytes;
    this.littleEndian = layout.littleEndian;
    this.includesHeader = layout.lengthIncludesHeader;
    this.checksum = layout.checksum;
    this.maxFrameBytes = layout.maxFrameBytes;
    this.headerBytes = headerSize(layout);
  }

  /** The header scratch buffer, made on first use: a decoder that only ever sees whole headers never needs one. */
  private get scratch(): Buffer {
    return (this.scratchBuffer ??= Buffer.alloc(this.headerBytes));
  }

  get bufferedBytes(): number {
    return this.body === null ? this.have : this.headerBytes + this.bodyHave;
  }

  feed(input: Uint8Array, onFrame: FrameCallback): void {
    const chunk = Buffer.isBuffer(input) ? input : asBuffer(input);
    const n = chunk.length;
    const H = this.headerBytes;
    let i = 0;
    while (i < n) {
      if (this.body === null && this.have === 0) {
        // Fast path: whole frames inside this chunk, handed on as views.
        const simple = this.magicBytes === 0 && !this.checksum && !this.includesHeader && this.unreportedSkip === 0;
        if (simple && this.lengthBytes === 4) {
          i = this.fastU32(chunk, i, onFrame);
        } else {
          while (n - i >= H && (this.magicBytes === 0 || this.magicAt(chunk, i))) {
            if (this.unreportedSkip !== 0) this.reportSkip();
            const start = i + H;
            const end = start + this.readHeader(chunk, i);
            if (end > n) break;
            onFrame(this.checksum ? this.verified(chunk.subarray(start, end)) : chunk.subarray(start, end));
            i = end;
          }
        }
        if (i === n) break;
      }
      i = this.step(chunk, i, onFrame);
    }
  }

  /** The commonest layout, a bare u32 length, in a tight loop with everything in locals. */
  private fastU32(chunk: Buffer, i: number, onFrame: FrameCallback): number {
    const n = chunk.length;
    const max = this.maxFrameBytes;
    const le = this.littleEndian;
    while (n - i >= 4) {
      const size = le ? chunk.readUInt32LE(i) : chunk.readUInt32BE(i);
      if (size > max) throw new FrameTooLargeError(size, max);
      const end = i + 4 + size;
      if (end > n) break;
      onFrame(chunk.subarray(i + 4, end));
      i = end;
    }
    return i;
  }

  override finish(): void {
    this.reportSkip();
    if (this.body !== null) {
      throw new UnexpectedEndError(this.headerBytes + this.bodyHave, this.headerBytes + this.bodySize);
    }
    if (this.have > 0) throw new UnexpectedEndError(this.have, this.headerBytes);
  }

  /**
   * Slow path, one step: continues a payload split across chunks, or collects a header that is
   * split, misplaced (resync) or followed by an incomplete payload. Returns where it stopped.
   */
  private step(chunk: Buffer, i: number, onFrame: FrameCallback): number {
    const n = chunk.length;
    let body = this.body;
    if (body !== null) {
      const take = Math.min(this.bodySize - this.bodyHave, n - i);
      const have = this.bodyHave + take;
      if (have > body.length) body = this.grow(body, have);
      chunk.copy(body, this.bodyHave, i, i + take);
      this.bodyHave = have;
      if (have === this.bodySize) {
        // The capacity never passes the declared size, so the full buffer is the payload exactly.
        this.body = null;
        onFrame(this.verified(body));
      }
      return i + take;
    }
    i = this.collectHeader(chunk, i);
    if (this.have < this.headerBytes) return i;
    this.have = 0;
    this.reportSkip();
    const size = this.readHeader(this.scratch, 0);
    if (n - i >= size) {
      onFrame(this.verified(chunk.subarray(i, i + size)));
      return i + size;
    }
    const assembled = Buffer.allocUnsafe(Math.min(size, Math.max(n - i, PARTIAL_FRAME_FIRST_BYTES)));
    chunk.copy(assembled, 0, i, n);
    this.body = assembled;
    this.bodyHave = n - i;
    this.bodySize = size;
    return n;
  }

  /** A copy of `body`'s bytes in a buffer for at least `need` bytes: doubled, capped at the declared size. */
  private grow(body: Buffer, need: number): Buffer {
    const grown = Buffer.allocUnsafe(Math.min(this.bodySize, Math.max(need, 2 * body.length)));
    body.copy(grown, 0, 0, this.bodyHave);
    this.body = grown;
    return grown;
  }

  private magicAt(chunk: Buffer, at: number): boolean {
    const magic = this.magic;
    for (let k = 0; k < this.magicBytes; k++) if (chunk[at + k] !== magic[k]) return false;
    return true;
  }

  /** Parses a complete header at `at` and returns the payload size, enforcing the limits. */
  private readHeader(buf: Buffer, at: number): number {
    const off = at + this.magicBytes;
    const le = this.littleEndian;
    let size: number;
    switch (this.lengthBytes) {
      case 4:
        size = le ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
        break;
      case 2:
        size = le ? buf.readUInt16LE(off) : buf.readUInt16BE(off);
        break;
      default:
        size = readUint(buf, off, this.lengthBytes, le);
    }
    if (this.includesHeader) {
      if (size < this.headerBytes) throw new BadLengthError(size, this.headerBytes);
      size -= this.headerBytes;
    }
    if (size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
    if (this.checksum) {
      const crcAt = off + this.lengthBytes;
      this.expectedCrc = le ? buf.readUInt32LE(crcAt) : buf.readUInt32BE(crcAt);
    }
    return size;
  }

  private verified(payload: Buffer): Buffer {
    if (this.checksum) {
      const actual = crc32(payload);
      if (actual !== this.expectedCrc) throw new ChecksumMismatchError(this.expectedCrc, actual);
    }
    return payload;
  }

  /** Copies header bytes one by one into `scratch`, checking the magic as it goes. */
  private collectHeader(chunk: Buffer, start: number): number {
    const magic = this.magic;
    const H = this.headerBytes;
    let i = start;
    while (this.have < H && i < chunk.length) {
      const byte = chunk[i] as number;
      if (this.have < this.magicBytes && byte !== magic[this.have]) {
        if (!this.layout.resync) {
          const got = Buffer.concat([this.scratch.subarray(0, this.have), chunk.subarray(i, i + this.magicBytes - this.have)]);
          throw new BadMagicError(got, magic);
        }
        i = this.skip(chunk, i);
        continue;
      }
      this.scratch[this.have++] = byte;
      i++;
    }
    return i;
  }
  /**
   * Resync: drops the byte at `i` (and any partial magic before it that cannot start a magic),
   * keeps the longest tail that is still a prefix of the magic, and jumps to the next byte that
   * could start one. Returns the index to continue from.
   */
  private skip(chunk: Buffer, i: number): number {
    const magic = this.layout.magic;
    const candidate = Buffer.concat([this.scratch.subarray(0, this.have), chunk.subarray(i, i + 1)]);
    let shift = 1;
    while (shift < candidate.length && !magic.subarray(0, candidate.length - shift).equals(candidate.subarray(shift))) {
      shift++;
    }
    this.countSkip(shift);
    this.have = candidate.length - shift;
    candidate.copy(this.scratch, 0, shift);
    i++;
    if (this.have === 0) {
      const next = chunk.indexOf(magic[0] as number, i);
      const to = next === -1 ? chunk.length : next;
      this.countSkip(to - i);
      i = to;
    }
    return i;
  }

  private countSkip(bytes: number): void {
    this.unreportedSkip += bytes;
    this.skippedBytes += bytes;
  }

  private reportSkip(): void {
    if (this.unreportedSkip === 0) return;
    const skipped = this.unreportedSkip;
    this.unreportedSkip = 0;
    this.layout.onResync?.(skipped);
  }
}
