/**
 * Hand-written decoding loops for the benchmarked wire formats: what a competent engineer would
 * write inline without the library. Each keeps its own state across chunks, passes a frame that
 * lies inside a chunk as a view of it and a frame that spans chunks as one assembled copy, and
 * calls `onFrame` for each. They check what the library checks on these formats (magic, size
 * limit, CRC-32), so the comparison is like for like.
 */
import { crc32 } from 'node:zlib';

/** Receives each decoded frame. */
export type FrameSink = (frame: Buffer) => void;

/** A baseline decoder: feed it chunks, then tell it the input ended. */
export interface BaselineDecoder {
  push(chunk: Buffer): void;
  /** Throws if the input ended inside a frame. */
  end(): void;
}

/** Largest payload the baselines accept (the library's default limit), so a bad length cannot allocate gigabytes. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const LF = 0x0a;

/** Baseline for length-prefix framing: u32 big-endian payload length, then the payload. */
export function createLengthPrefixBaseline(onFrame: FrameSink): BaselineDecoder {
  const header = Buffer.alloc(4);
  let headerHave = 0;
  let body: Buffer | null = null;
  let bodyHave = 0;

  function startBody(size: number): Buffer {
    if (size > MAX_FRAME_BYTES) throw new Error(`frame of ${size} bytes is over the limit`);
    bodyHave = 0;
    return Buffer.allocUnsafe(size);
  }

  return {
    push(chunk: Buffer): void {
      const n = chunk.length;
      let pos = 0;
      // Finish the frame an earlier chunk began: its header, then its body.
      if (headerHave > 0) {
        while (headerHave < 4 && pos < n) header[headerHave++] = chunk[pos++] as number;
        if (headerHave < 4) return;
        headerHave = 0;
        body = startBody(header.readUInt32BE(0));
      }
      if (body !== null) {
        const take = Math.min(body.length - bodyHave, n - pos);
        chunk.copy(body, bodyHave, pos, pos + take);
        bodyHave += take;
        pos += take;
        if (bodyHave < body.length) return;
        const done = body;
        body = null;
        onFrame(done);
      }
      // Frames inside this chunk: views, no copy.
      while (n - pos >= 4) {
        const size = chunk.readUInt32BE(pos);
        const start = pos + 4;
        if (n - start < size) {
          body = startBody(size);
          chunk.copy(body, 0, start, n);
          bodyHave = n - start;
          return;
        }
        if (size > MAX_FRAME_BYTES) throw new Error(`frame of ${size} bytes is over the limit`);
        pos = start + size;
        onFrame(chunk.subarray(start, pos));
      }
      while (pos < n) header[headerHave++] = chunk[pos++] as number;
    },
    end(): void {
      if (headerHave > 0 || body !== null) throw new Error('input ended inside a frame');
    },
  };
}

/**
 * Baseline for header-prefix framing with a 4-byte magic: magic, u32 big-endian payload length,
 * optionally a u32 big-endian CRC-32 of the payload (jsocket v2), then the payload.
 */
export function createHeaderPrefixBaseline(magic: string, checksum: boolean, onFrame: FrameSink): BaselineDecoder {
  const magicBytes = Buffer.from(magic, 'latin1');
  if (magicBytes.length !== 4) throw new Error('this baseline handles a 4-byte magic only');
  const MAGIC = magicBytes.readUInt32BE(0);
  const H = checksum ? 12 : 8;
  const header = Buffer.alloc(H);
  let headerHave = 0;
  let body: Buffer | null = null;
  let bodyHave = 0;
  let expectedCrc = 0;

  /** Checks the header at `at` and returns the payload size. */
  function readHeader(buf: Buffer, at: number): number {
    if (buf.readUInt32BE(at) !== MAGIC) throw new Error(`bad magic at ${at}`);
    const size = buf.readUInt32BE(at + 4);
    if (size > MAX_FRAME_BYTES) throw new Error(`frame of ${size} bytes is over the limit`);
    if (checksum) expectedCrc = buf.readUInt32BE(at + 8);
    return size;
  }

  function emit(payload: Buffer): void {
    if (checksum && crc32(payload) !== expectedCrc) throw new Error('CRC-32 mismatch');
    onFrame(payload);
  }

  return {
    push(chunk: Buffer): void {
      const n = chunk.length;
      let pos = 0;
      if (headerHave > 0) {
        while (headerHave < H && pos < n) header[headerHave++] = chunk[pos++] as number;
        if (headerHave < H) return;
        headerHave = 0;
        body = Buffer.allocUnsafe(readHeader(header, 0));
        bodyHave = 0;
      }
      if (body !== null) {
        const take = Math.min(body.length - bodyHave, n - pos);
        chunk.copy(body, bodyHave, pos, pos + take);
        bodyHave += take;
        pos += take;
        if (bodyHave < body.length) return;
        const done = body;
        body = null;
        emit(done);
      }
      while (n - pos >= H) {
        const size = readHeader(chunk, pos);
        const start = pos + H;
        if (n - start < size) {
          body = Buffer.allocUnsafe(size);
          chunk.copy(body, 0, start, n);
          bodyHave = n - start;
          return;
        }
        pos = start + size;
        emit(chunk.subarray(start, pos));
      }
      while (pos < n) header[headerHave++] = chunk[pos++] as number;
    },
    end(): void {
      if (headerHave > 0 || body !== null) throw new Error('input ended inside a frame');
    },
  };
}

/**
 * Baseline for delimiter framing on LF: frames are the bytes between newlines. An unterminated
 * tail is kept as a view and joined with the rest of its line when the newline arrives.
 */
export function createDelimiterBaseline(onFrame: FrameSink): BaselineDecoder {
  let pending: Buffer | null = null;
  return {
    push(chunk: Buffer): void {
      let pos = 0;
      for (;;) {
        const at = chunk.indexOf(LF, pos);
        if (at === -1) break;
        if (pending === null) {
          if (at - pos > MAX_FRAME_BYTES) throw new Error('line over the limit');
          onFrame(chunk.subarray(pos, at));
        } else {
          const line = Buffer.concat([pending, chunk.subarray(pos, at)]);
          pending = null;
          if (line.length > MAX_FRAME_BYTES) throw new Error('line over the limit');
          onFrame(line);
        }
        pos = at + 1;
      }
      if (pos < chunk.length) {
        const rest = chunk.subarray(pos);
        pending = pending === null ? rest : Buffer.concat([pending, rest]);
        if (pending.length > MAX_FRAME_BYTES) throw new Error('line over the limit');
      }
    },
    end(): void {
      if (pending !== null) throw new Error('input ended inside a line');
    },
  };
}
