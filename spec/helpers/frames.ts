import { lastValueFrom, from, toArray } from 'rxjs';
import type { FrameDecoder, Framing } from 'rxjs-socket';
import { joinBytes } from 'rxjs-socket/testing';

/** Runs `chunks` through a fresh decoder of `framing` and returns every frame as a Buffer. */
export function decodeAll(framing: Framing, chunks: readonly Uint8Array[]): Buffer[] {
  const decoder: FrameDecoder = framing.createDecoder();
  const frames: Buffer[] = [];
  for (const chunk of chunks) for (const f of decoder.push(chunk)) frames.push(Buffer.from(f));
  for (const f of decoder.end()) frames.push(Buffer.from(f));
  return frames;
}

/** The same through the RxJS operator. */
export async function decodeAllRx(framing: Framing, chunks: readonly Uint8Array[]): Promise<Buffer[]> {
  const frames = await lastValueFrom(from(chunks).pipe(framing.decode(), toArray()));
  return frames.map((f) => Buffer.from(f));
}

/** The wire bytes of `payloads` framed one after another. */
export function wire(framing: Framing, payloads: readonly Uint8Array[]): Uint8Array {
  return joinBytes(payloads.flatMap((p) => framing.encodeFrame(p)));
}

/** Bytes from a string of hex digits, spaces ignored: `hex('4a 53')`. */
export function hex(digits: string): Buffer {
  return Buffer.from(digits.replace(/\s+/g, ''), 'hex');
}

/** Returns the error `fn` throws (fails the test if it throws nothing). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
