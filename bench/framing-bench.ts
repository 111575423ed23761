/**
 * The framing suite: in-process decoding of 1,000,000 frames of 64-byte payloads per framing,
 * delivered in random chunks of 1 B to 64 KiB, by a hand-written baseline loop, the library's
 * pure decoder and the library's RxJS operator.
 */
import { from } from 'rxjs';
import { delimiter, headerPrefix, lengthPrefix, type Framing } from './library';
import {
  createDelimiterBaseline,
  createHeaderPrefixBaseline,
  createLengthPrefixBaseline,
  type BaselineDecoder,
  type FrameSink,
} from './baselines';
import { measure, rowFromTimings, type BenchRow, type TimedCase } from './measure';

/** Options of {@link runFramingBench}; the defaults are the documented workload. */
export interface FramingBenchOptions {
  /** Frames per framing. Default 1,000,000. */
  readonly frames?: number;
  /** Payload size in bytes. Default 64. */
  readonly payloadBytes?: number;
  /** Largest chunk; chunk sizes are uniform from 1 to this. Default 65,536. */
  readonly maxChunkBytes?: number;
  /** Seed of the PRNG that makes the payloads and the chunk sizes. Default 0x5eed. */
  readonly seed?: number;
  /** Timed runs per variant (after one warm-up run). Default 7. */
  readonly timedRuns?: number;
  /** Progress lines go here. Default: none. */
  readonly log?: (line: string) => void;
}

interface FramingCase {
  readonly name: string;
  readonly framing: Framing;
  readonly baseline: (onFrame: FrameSink) => BaselineDecoder;
}

/** Counts frames and payload bytes; `add` is the per-frame callback every variant calls. */
class Tally {
  frames = 0;
  bytes = 0;
  readonly add = (frame: Uint8Array): void => {
    this.frames++;
    this.bytes += frame.length;
  };

  /** Throws unless exactly `frames` frames totalling `bytes` bytes were counted. */
  expect(label: string, frames: number, bytes: number): void {
    if (this.frames !== frames || this.bytes !== bytes) {
      throw new Error(`${label}: got ${this.frames} frames / ${this.bytes} bytes, expected ${frames} / ${bytes}`);
    }
  }
}

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * The wire bytes of `frames` frames, encoded by `framing.encodeFrame`. Payloads are
 * `payloadBytes`-long windows at random offsets of a pool of printable ASCII (never LF).
 */
function buildWire(framing: Framing, frames: number, payloadBytes: number, seed: number): Buffer {
  const random = seededRandom(seed);
  const pool = Buffer.allocUnsafe(64 * 1024 + payloadBytes);
  for (let i = 0; i < pool.length; i++) pool[i] = 0x20 + Math.floor(random() * 95);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < frames; i++) {
    const offset = Math.floor(random() * (pool.length - payloadBytes + 1));
    for (const part of framing.encodeFrame(pool.subarray(offset, offset + payloadBytes))) parts.push(part);
  }
  return Buffer.concat(parts);
}

/** Cuts `wire` into views of uniformly random sizes from 1 to `maxChunkBytes`, as a socket delivers them. */
function cutChunks(wire: Buffer, maxChunkBytes: number, seed: number): Buffer[] {
  const random = seededRandom(seed);
  const chunks: Buffer[] = [];
  for (let pos = 0; pos < wire.length; ) {
    const size = 1 + Math.floor(random() * maxChunkBytes);
    chunks.push(wire.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}

/** The three timed variants for one framing over one list of chunks. */
function variantsFor(c: FramingCase, chunks: readonly Buffer[], frames: number, bytes: number): TimedCase[] {
  return [
    {
      name: 'baseline',
      run: () => {
        const tally = new Tally();
        const decoder = c.baseline(tally.add);
        for (const chunk of chunks) decoder.push(chunk);
        decoder.end();
        tally.expect(`${c.name} baseline`, frames, bytes);
      },
    },
    {
      name: 'decoder',
      run: () => {
        const tally = new Tally();
        const decoder = c.framing.createDecoder();
        for (const chunk of chunks) decoder.feed(chunk, tally.add);
        decoder.finish(tally.add);
        tally.expect(`${c.name} decoder`, frames, bytes);
      },
    },
    {
      name: 'operator',
      run: () => {
        const tally = new Tally();
        let failure: unknown = null;
        let completed = false;
        from(chunks)
          .pipe(c.framing.decode())
          .subscribe({
            next: tally.add,
            error: (error: unknown) => {
              failure = error;
            },
            complete: () => {
              completed = true;
            },
          });
        if (failure !== null) throw new Error(`${c.name} operator failed`, { cause: failure });
        if (!completed) throw new Error(`${c.name} operator did not complete synchronously`);
        tally.expect(`${c.name} operator`, frames, bytes);
      },
    },
  ];
}

/**
 * Runs the framing suite: for each framing, builds the wire bytes once, cuts them into seeded
 * random chunks, then times the baseline, the pure decoder and the operator on the same chunks.
 * Returns one row per framing (variants in that order).
 */
export function runFramingBench(options: FramingBenchOptions = {}): BenchRow[] {
  const frames = options.frames ?? 1_000_000;
  const payloadBytes = options.payloadBytes ?? 64;
  const maxChunkBytes = options.maxChunkBytes ?? 64 * 1024;
  const seed = options.seed ?? 0x5eed;
  const log = options.log ?? ((): void => {});
  const cases: FramingCase[] = [
    { name: 'length-prefix u32be', framing: lengthPrefix(), baseline: createLengthPrefixBaseline },
    { name: 'delimiter LF', framing: delimiter(), baseline: createDelimiterBaseline },
    {
      name: 'header-prefix JSN1+u32be',
      framing: headerPrefix({ magic: 'JSN1' }),
      baseline: (onFrame) => createHeaderPrefixBaseline('JSN1', false, onFrame),
    },
    {
      name: 'header-prefix JSN1+u32be+crc32',
      framing: headerPrefix({ magic: 'JSN1', checksum: 'crc32' }),
      baseline: (onFrame) => createHeaderPrefixBaseline('JSN1', true, onFrame),
    },
  ];
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const wire = buildWire(c.framing, frames, payloadBytes, seed);
    const chunks = cutChunks(wire, maxChunkBytes, seed + 1);
    log(`framing: ${c.name}: ${(wire.length / 2 ** 20).toFixed(1)} MiB in ${chunks.length} chunks`);
    const timings = measure(variantsFor(c, chunks, frames, frames * payloadBytes), { timedRuns: options.timedRuns ?? 7 });
    rows.push(rowFromTimings('framing', c.name, 'frames', frames, timings));
  }
  return rows;
}
