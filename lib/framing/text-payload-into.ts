import { FrameTooLargeError } from '../errors';

/**
 * @internal Writes the UTF-8 bytes of `text` into `target` from `start`, if they fit before `end`,
 * and returns how many there are; -1 if they do not fit. Throws FrameTooLargeError, as the
 * framings' `encodeInto` does, when they are over `maxFrameBytes`. A UTF-16 unit is at most three
 * bytes (a lone surrogate becomes U+FFFD, three bytes, as in `Buffer.from`), so the text is only
 * measured when that bound is over the limit or the room.
 */
export function writeTextPayload(text: string, target: Buffer, start: number, end: number, maxFrameBytes: number): number {
  const room = end - start;
  const bound = text.length * 3;
  if (bound > maxFrameBytes || bound > room) {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > maxFrameBytes) throw new FrameTooLargeError(size, maxFrameBytes);
    if (size > room) return -1;
  }
  return target.write(text, start, room, 'utf8');
}
