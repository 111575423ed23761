/**
 * JSON decode time by frame size and shape: how long one frame blocks the event loop in the json
 * codec's `decode` (UTF-8 check and `JSON.parse`). The figures behind `DEFAULT_JSON_MAX_BYTES`.
 */
import { json } from '../lib/codec/json';
import { median } from './measure';
import { renderTable } from './table';

/** A JSON text shape, built to about `bytes` bytes. */
interface Shape {
  readonly name: string;
  readonly build: (bytes: number) => string;
}

const SHAPES: readonly Shape[] = [
  {
    // The worst case seen: one flat object with a short key per ~16 bytes (the 850k keys in 13.6 MiB).
    name: 'object, many keys',
    build: (bytes) => {
      const n = Math.floor(bytes / 16);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(`"k${k.toString(36).padStart(6, '0')}":${k % 1000}`);
      return `{${parts.join(',')}}`;
    },
  },
  {
    name: 'array of small objects',
    build: (bytes) => {
      const item = (k: number): string => JSON.stringify({ id: k, name: `item ${k}`, tags: ['a', 'b'], ok: k % 2 === 0 });
      const parts: string[] = [];
      let size = 2;
      for (let k = 0; size < bytes; k++) {
        const text = item(k);
        parts.push(text);
        size += text.length + 1;
      }
      return `[${parts.join(',')}]`;
    },
  },
  {
    name: 'array of numbers',
    build: (bytes) => {
      const parts: string[] = [];
      let size = 2;
      for (let k = 0; size < bytes; k++) {
        const text = String((k * 7919) % 1_000_003);
        parts.push(text);
        size += text.length + 1;
      }
      return `[${parts.join(',')}]`;
    },
  },
  {
    name: 'one long string',
    build: (bytes) => JSON.stringify('x'.repeat(bytes - 2)),
  },
];

const SIZES = [64 * 1024, 1024 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024];

function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

/** Milliseconds of the json codec's decode, median of `runs` runs after one warm-up. */
function decodeMs(frame: Buffer, runs: number): number {
  const codec = json({ maxFrameBytes: Infinity });
  codec.decode(frame);
  const samples: number[] = [];
  for (let k = 0; k < runs; k++) {
    const started = process.hrtime.bigint();
    codec.decode(frame);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

/** Measures every shape at every size and renders one table: ms per frame, and MB/s. */
export function runJsonBench(options: { log?: (line: string) => void; runs?: number } = {}): string {
  const rows: string[][] = [];
  for (const shape of SHAPES) {
    for (const size of SIZES) {
      const frame = Buffer.from(shape.build(size), 'utf8');
      const ms = decodeMs(frame, options.runs ?? 5);
      options.log?.(`json: ${shape.name}, ${sizeLabel(size)}: ${ms.toFixed(1)} ms`);
      rows.push([shape.name, sizeLabel(size), ms.toFixed(1), (frame.length / 1e6 / (ms / 1000)).toFixed(0)]);
    }
  }
  return renderTable(['shape', 'frame', 'ms per frame', 'MB/s'], rows);
}
