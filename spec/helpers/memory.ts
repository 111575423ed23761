import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full garbage collection on demand, so memory figures count live objects only. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const gc = collector();

/** Live memory after a full collection: the V8 heap plus ArrayBuffers (Buffers) outside it, in bytes. */
export interface LiveMemory {
  readonly heapUsed: number;
  readonly arrayBuffers: number;
}

/** Collects garbage, then reports what is left alive. */
export function liveMemory(): LiveMemory {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

/** Bytes as MiB with one decimal, for messages. */
export function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
