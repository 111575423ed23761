import { DEFAULT_MAX_FRAME_BYTES } from '../constants';
import { DelimiterInPayloadError, FrameTooLargeError, InvalidOptionError } from '../errors';
import { asBuffer, toBytes } from '../internal/bytes';
import { DelimiterDecoder, type TrailingPolicy } from './delimiter-decoder';
import { defineFraming, type Framing } from './framing';
import { writeTextPayload } from './text-payload-into';

/** Options of {@link delimiter}. */
export interface DelimiterOptions {
  /** The delimiter: a string (UTF-8), a byte value, or bytes. Default `'\n'`. */
  delimiter?: string | number | Uint8Array;
  /** Drop one CR at the end of each decoded frame, so CRLF lines decode like LF lines. Default false. */
  stripCR?: boolean;
  /**
   * Bytes after the last delimiter at end of input: `'error'` (default) fails with
   * UnexpectedEndError, as prefixed framings do; `'emit'` delivers them as a last frame.
   */
  trailing?: TrailingPolicy;
  /** Largest frame, delimiter excluded, decoded or encoded. Default 16 MiB. */
  maxFrameBytes?: number;
}

/**
 * Delimiter framing: frames end with a delimiter byte sequence (a newline by default, NUL for
 * jsockd commands). The encoder appends the delimiter and refuses a payload that contains it.
 *
 * @example
 * ```ts
 * const lines = delimiter({ stripCR: true, trailing: 'emit' });
 * chunks$.pipe(lines.decode()).subscribe((line) => console.log(line.toString()));
 * const [payload, newline] = lines.encodeFrame(Buffer.from('ping'));
 * ```
 */
export function delimiter(options: DelimiterOptions = {}): Framing {
  const bytes = toBytes(options.delimiter ?? '\n');
  if (bytes.length === 0) throw new InvalidOptionError('delimiter', '', 'at least one byte');
  const trailing = options.trailing ?? 'error';
  if (trailing !== 'error' && trailing !== 'emit') throw new InvalidOptionError('trailing', trailing, "'error' or 'emit'");
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0) {
    throw new InvalidOptionError('maxFrameBytes', maxFrameBytes, 'a non-negative integer');
  }
  const layout = { delimiter: bytes, stripCR: options.stripCR ?? false, trailing, maxFrameBytes };
  const single = bytes.length === 1 ? (bytes[0] as number) : -1;
  /** A one-byte ASCII delimiter as a character, found in text as it is in UTF-8; '' for others. */
  const asciiChar = single >= 0 && single < 0x80 ? String.fromCharCode(single) : '';
  /** Checks that `payload` can be framed: within the limit, and free of the delimiter. */
  function check(payload: Uint8Array): void {
    if (payload.byteLength > maxFrameBytes) throw new FrameTooLargeError(payload.byteLength, maxFrameBytes);
    const view = asBuffer(payload);
    const at = single >= 0 ? view.indexOf(single) : view.indexOf(bytes);
    if (at !== -1) throw new DelimiterInPayloadError(at);
  }
  return defineFraming({
    name: `delimiter(${bytes.toString('hex')})`,
    maxFrameBytes,
    overheadBytes: bytes.length,
    createDecoder: () => new DelimiterDecoder(layout),
    encodeFrame(payload) {
      check(payload);
      return [payload, bytes];
    },
    encodeInto(payload, target, offset) {
      check(payload);
      target.set(payload, offset);
      bytes.copy(target, offset + payload.byteLength);
      return offset + payload.byteLength + bytes.length;
    },
    encodeTextInto(text, target, offset, end) {
      const size = writeTextPayload(text, target, offset, end - bytes.length, maxFrameBytes);
      if (size < 0) return -1;
      if (asciiChar !== '') {
        const index = text.indexOf(asciiChar);
        if (index !== -1) throw new DelimiterInPayloadError(Buffer.byteLength(text.slice(0, index), 'utf8'));
      } else {
        const view = target.subarray(offset, offset + size);
        const at = single >= 0 ? view.indexOf(single) : view.indexOf(bytes);
        if (at !== -1) throw new DelimiterInPayloadError(at);
      }
      bytes.copy(target, offset + size);
      return offset + size + bytes.length;
    },
  });
}
