import { FrameTooLargeError, UnexpectedEndError } from '../errors';
import { PARTIAL_FRAME_FIRST_BYTES } from '../constants';
import { asBuffer } from '../internal/bytes';
import { FrameDecoderBase, type FrameCallback } from './frame-decoder';

/** What happens to bytes after the last delimiter when the input ends. */
export type TrailingPolicy = 'error' | 'emit';

/** Resolved settings of a {@link DelimiterDecoder}. */
export interface DelimiterLayout {
  /** The delimiter, one byte or more. */
  readonly delimiter: Buffer;
  /** Drop one CR (0x0D) at the end of each frame (so CRLF and LF both end a line). */
  readonly stripCR: boolean;
  /** `'error'`: a trailing fragment is UnexpectedEndError; `'emit'`: it is the last frame. */
  readonly trailing: TrailingPolicy;
  /** Largest frame (delimiter excluded). */
  readonly maxFrameBytes: number;
}

const CR = 0x0d;

/**
 * Cuts a byte stream at each delimiter. Frames that lie inside one chunk are views of it. Bytes of
 * an unterminated frame are copied into one pending buffer that grows geometrically (from
 * {@link PARTIAL_FRAME_FIRST_BYTES}, never past the limit), so memory stays near the pending size
 * however small the chunks are (no view kept per chunk), and the frame is assembled once, when
 * its delimiter arrives. The limit is checked before pending bytes are stored, so memory stays bounded.
 */
export class DelimiterDecoder extends FrameDecoderBase {
  /** Bytes of the unterminated frame, in `pending[0, pendingBytes)`; null when there are none. */
  private pending: Buffer | null = null;
  private pendingBytes = 0;

  constructor(private readonly layout: DelimiterLayout) {
    super();
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  feed(input: Uint8Array, onFrame: FrameCallback): void {
    const chunk = Buffer.isBuffer(input) ? input : asBuffer(input);
    const { delimiter, maxFrameBytes, stripCR } = this.layout;
    const d = delimiter.length;
    const single = d === 1 ? (delimiter[0] as number) : -1;
    let pos = 0;
    if (this.pendingBytes > 0) {
      // The first delimiter ends the pending frame: it may even have started in the pending bytes.
      const straddle = d > 1 ? this.straddlingEnd(chunk) : 0;
      if (straddle > 0) {
        onFrame(this.take(chunk, 0, straddle - d));
        pos = straddle;
      } else {
        const at = single >= 0 ? chunk.indexOf(single) : chunk.indexOf(delimiter);
        if (at !== -1) {
          onFrame(this.take(chunk, 0, at));
          pos = at + d;
        }
      }
    }
    if (this.pendingBytes === 0) {
      // Frames inside this chunk: views, found by the native indexOf.
      for (;;) {
        const at = single >= 0 ? chunk.indexOf(single, pos) : chunk.indexOf(delimiter, pos);
        if (at === -1) break;
        if (at - pos > maxFrameBytes) throw new FrameTooLargeError(at - pos, maxFrameBytes);
        const end = stripCR && at > pos && chunk[at - 1] === CR ? at - 1 : at;
        onFrame(chunk.subarray(pos, end));
        pos = at + d;
      }
    }
    if (pos < chunk.length) this.keep(chunk, pos);
  }

  override finish(onFrame: FrameCallback): void {
    if (this.pendingBytes === 0) return;
    if (this.layout.trailing === 'error') {
      throw new UnexpectedEndError(this.pendingBytes, this.pendingBytes + this.layout.delimiter.length);
    }
    const last = this.take(Buffer.alloc(0), 0, 0);
    if (last.length > this.layout.maxFrameBytes) throw new FrameTooLargeError(last.length, this.layout.maxFrameBytes);
    onFrame(last);
  }

  /** Appends `chunk[from..]` to the pending bytes, after checking the limit, growing the buffer geometrically. */
  private keep(chunk: Buffer, from: number): void {
    const have = this.pendingBytes + chunk.length - from;
    // Up to d - 1 bytes may be the start of a delimiter: only more than that is frame data.
    const most = this.layout.maxFrameBytes + this.layout.delimiter.length - 1;
    if (have > most) throw new FrameTooLargeError(have, this.layout.maxFrameBytes);
    let pending = this.pending;
    if (pending === null || have > pending.length) {
      const grown = Buffer.allocUnsafe(Math.min(most, Math.max(have, 2 * (pending?.length ?? 0), PARTIAL_FRAME_FIRST_BYTES)));
      if (pending !== null) pending.copy(grown, 0, 0, this.pendingBytes);
      this.pending = pending = grown;
    }
    chunk.copy(pending, this.pendingBytes, from);
    this.pendingBytes = have;
  }

  /**
   * The frame made of the pending bytes plus `chunk[from, to)`, with the limit and CR stripping
   * applied. `to` may be negative when the delimiter began in the pending bytes.
   */
  private take(chunk: Buffer, from: number, to: number): Buffer {
    let frame: Buffer;
    if (this.pending === null || this.pendingBytes === 0) {
      frame = chunk.subarray(from, to);
    } else {
      const size = this.pendingBytes + to - from;
      frame = Buffer.allocUnsafe(size);
      this.pending.copy(frame, 0, 0, Math.min(this.pendingBytes, size));
      if (to > from) chunk.copy(frame, this.pendingBytes, from, to);
      // Let go of the pending buffer: a connection between frames holds nothing.
      this.pending = null;
      this.pendingBytes = 0;
    }
    if (frame.length > this.layout.maxFrameBytes) throw new FrameTooLargeError(frame.length, this.layout.maxFrameBytes);
    if (this.layout.stripCR && frame.length > 0 && frame[frame.length - 1] === CR) frame = frame.subarray(0, -1);
    return frame;
  }

  /**
   * If a delimiter starts in the last d - 1 pending bytes and ends in `chunk`, returns the index
   * in `chunk` just past it, else 0.
   */
  private straddlingEnd(chunk: Buffer): number {
    const delimiter = this.layout.delimiter;
    const d = delimiter.length;
    const pending = this.pending as Buffer;
    const tail = Math.min(d - 1, this.pendingBytes);
    const head = Math.min(d - 1, chunk.length);
    const probe = Buffer.allocUnsafe(tail + head);
    pending.copy(probe, 0, this.pendingBytes - tail, this.pendingBytes);
    chunk.copy(probe, tail, 0, head);
    const at = probe.indexOf(delimiter);
    return at !== -1 && at < tail ? at + d - tail : 0;
  }
}
