import { json } from '../codec/json';
import { utf8 } from '../codec/utf8';
import { DecodeError, EncodeError, InvalidOptionError } from '../errors';

/** The codecs the command line offers. */
export type CodecName = 'json' | 'utf8' | 'raw';

const CODEC_NAMES: readonly CodecName[] = ['json', 'utf8', 'raw'];

/**
 * Checks a `--codec` value.
 *
 * @example
 * ```ts
 * parseCodecName('json'); // 'json'
 * parseCodecName('xml'); // throws InvalidOptionError
 * ```
 */
export function parseCodecName(value: string): CodecName {
  const name = CODEC_NAMES.find((known) => known === value);
  if (name === undefined) throw new InvalidOptionError('--codec', value, 'json, utf8 or raw');
  return name;
}

// The framing's limit is the only one: a debugging tool shows whatever the peer sends.
const jsonCodec = json({ maxFrameBytes: Infinity });
const utf8Codec = utf8();

/**
 * One frame as one line of output: JSON compact (`JSON.stringify` of the decoded value), UTF-8
 * text with CR and LF shown as `\r` and `\n` (so a message never spans lines), raw as lowercase
 * hex. A frame the codec cannot decode throws a DecodeError.
 *
 * @example
 * ```ts
 * formatFrame('utf8', Buffer.from('a\nb')); // 'a\\nb'
 * formatFrame('raw', Uint8Array.of(0, 255)); // '00ff'
 * ```
 */
export function formatFrame(codec: CodecName, frame: Uint8Array): string {
  if (codec === 'raw') return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('hex');
  try {
    if (codec === 'json') return JSON.stringify(jsonCodec.decode(frame));
    return utf8Codec.decode(frame).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  } catch (cause) {
    throw new DecodeError(frame.byteLength, cause);
  }
}

/**
 * The payload one input line stands for: JSON re-encoded from `JSON.parse(line)` (so
 * `{ "a": 1 }` is sent as `{"a":1}`), UTF-8 text as it is, raw as the line's UTF-8 bytes or, with
 * `hex`, the bytes its hex digits spell (spaces ignored: `00 ff 0a`). Bad input throws an
 * EncodeError.
 *
 * @example
 * ```ts
 * encodeLine('json', '{ "a": 1 }', false); // <7b 22 61 22 3a 31 7d>
 * encodeLine('raw', '00 0a', true); // <00 0a>
 * ```
 */
export function encodeLine(codec: CodecName, line: string, hex: boolean): Uint8Array {
  try {
    if (codec === 'json') return jsonCodec.encode(JSON.parse(line) as unknown);
    if (codec === 'raw' && hex) {
      const digits = line.replace(/\s+/g, '');
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new TypeError(`not whole bytes of hex: ${line}`);
      return Buffer.from(digits, 'hex');
    }
    return utf8Codec.encode(line);
  } catch (cause) {
    throw new EncodeError(cause);
  }
}
