import { InvalidOptionError } from '../errors';
import { delimiter } from '../framing/delimiter';
import type { Framing } from '../framing/framing';
import { headerPrefix } from '../framing/header-prefix';
import { lengthPrefix } from '../framing/length-prefix';
import type { Endian, LengthBytes } from '../framing/prefix-framing';
import { jsocketFraming, onelineFraming, packetsocketFraming } from '../framing/presets';
import { varintPrefix } from '../framing/varint-prefix';

/** The forms `--framing` accepts, as the help and error messages show them. */
export const FRAMING_FORMS =
  'length, length:N[:le|be][:incl], varint, lines, delimiter:HEX, header:MAGIC[:N[:le|be]][:crc32], ' +
  'jsocket, jsocket-legacy, jsocket-v2, oneline or packetsocket';

const LENGTH_FORM = 'length:N[:le|be][:incl] with N one of 1, 2, 4, 8';
const DELIMITER_FORM = 'delimiter:HEX with one or more bytes of hex (delimiter:00, delimiter:0d0a)';
const HEADER_FORM = 'header:MAGIC[:N[:le|be]][:crc32] with a text or 0x-hex MAGIC and N one of 1, 2, 4, 8';

/** Presets and the one-word forms. `jsocket` is jsocket v1 (u32 big-endian length). */
const NAMED: ReadonlyMap<string, () => Framing> = new Map([
  ['length', () => lengthPrefix()],
  ['varint', () => varintPrefix()],
  ['lines', () => delimiter()],
  ['jsocket', () => jsocketFraming('v1')],
  ['jsocket-v1', () => jsocketFraming('v1')],
  ['jsocket-legacy', () => jsocketFraming('legacy')],
  ['jsocket-v2', () => jsocketFraming('v2')],
  ['oneline', () => onelineFraming()],
  ['packetsocket', () => packetsocketFraming()],
]);

const WIDTHS: ReadonlyMap<string, LengthBytes> = new Map([
  ['1', 1],
  ['2', 2],
  ['4', 4],
  ['8', 8],
]);

/** A size field read from `N[:le|be]` tokens, and the tokens after it. */
interface SizeField {
  readonly lengthBytes: LengthBytes | undefined;
  readonly endian: Endian | undefined;
  readonly rest: readonly string[];
}

/** Reads the optional `N[:le|be]` at the start of `tokens`; the byte order only follows a width. */
function readSizeField(tokens: readonly string[]): SizeField {
  const lengthBytes = tokens[0] === undefined ? undefined : WIDTHS.get(tokens[0]);
  if (lengthBytes === undefined) return { lengthBytes, endian: undefined, rest: tokens };
  const order = tokens[1];
  if (order === 'le' || order === 'be') return { lengthBytes, endian: order === 'le' ? 'little' : 'big', rest: tokens.slice(2) };
  return { lengthBytes, endian: undefined, rest: tokens.slice(1) };
}

/** Bytes from hex digits (an optional `0x` first), or undefined when they are not whole bytes of hex. */
function hexBytes(text: string): Buffer | undefined {
  const digits = text.startsWith('0x') ? text.slice(2) : text;
  return /^(?:[0-9a-fA-F]{2})+$/.test(digits) ? Buffer.from(digits, 'hex') : undefined;
}

function invalid(spec: string, expected: string): InvalidOptionError {
  return new InvalidOptionError('--framing', spec, expected);
}

function parseLength(spec: string, tokens: readonly string[]): Framing {
  const field = readSizeField(tokens);
  const flags = field.rest;
  if (field.lengthBytes === undefined || flags.length > 1 || (flags.length === 1 && flags[0] !== 'incl')) {
    throw invalid(spec, LENGTH_FORM);
  }
  return lengthPrefix({ lengthBytes: field.lengthBytes, endian: field.endian, lengthIncludesHeader: flags.length === 1 });
}

function parseDelimiter(spec: string, tokens: readonly string[]): Framing {
  const bytes = tokens.length === 1 ? hexBytes(tokens[0] as string) : undefined;
  if (bytes === undefined) throw invalid(spec, DELIMITER_FORM);
  return delimiter({ delimiter: bytes });
}

function parseHeader(spec: string, tokens: readonly string[]): Framing {
  const [magicText, ...more] = tokens;
  if (magicText === undefined || magicText === '') throw invalid(spec, HEADER_FORM);
  const magic = magicText.startsWith('0x') ? hexBytes(magicText) : Buffer.from(magicText, 'utf8');
  if (magic === undefined) throw invalid(spec, HEADER_FORM);
  const field = readSizeField(more);
  const flags = field.rest;
  if (flags.length > 1 || (flags.length === 1 && flags[0] !== 'crc32')) throw invalid(spec, HEADER_FORM);
  return headerPrefix({
    magic,
    lengthBytes: field.lengthBytes,
    endian: field.endian,
    checksum: flags.length === 1 ? 'crc32' : 'none',
  });
}

/**
 * The framing a `--framing` value names, built with rxsocket's framing factories:
 *
 * - `length`: u32 big-endian length, then the payload (`lengthPrefix()`)
 * - `length:N[:le|be][:incl]`: an N-byte length (1, 2, 4, 8), big-endian unless `le`; `incl` when
 *   it counts itself too
 * - `varint`: an unsigned LEB128 length, then the payload (`varintPrefix()`: protobuf's delimited
 *   format, it-length-prefixed's default)
 * - `lines`: LF-terminated (`delimiter()`); `delimiter:HEX`: ended by those bytes (`delimiter:00`)
 * - `header:MAGIC[:N[:le|be]][:crc32]`: magic (UTF-8 text, or hex after `0x`; a magic containing
 *   `:` must be given in hex), an N-byte size (default 4, big-endian), optionally a CRC-32
 * - presets: `jsocket` (= `jsocket-v1`), `jsocket-legacy`, `jsocket-v2`, `oneline`, `packetsocket`
 *
 * Anything else throws an InvalidOptionError naming the expected form.
 *
 * @example
 * ```ts
 * parseFraming('length:2:le').encodeFrame(Buffer.from('hi')); // [<02 00>, <68 69>]
 * parseFraming('header:0x4a534e31:4:be:crc32'); // the same wire format as jsocket-v2
 * ```
 */
export function parseFraming(spec: string): Framing {
  const named = NAMED.get(spec);
  if (named !== undefined) return named();
  const [kind, ...tokens] = spec.split(':');
  switch (kind) {
    case 'length':
      return parseLength(spec, tokens);
    case 'delimiter':
      return parseDelimiter(spec, tokens);
    case 'header':
      return parseHeader(spec, tokens);
    default:
      throw invalid(spec, FRAMING_FORMS);
  }
}
