import { JSOCKET_V2_MAX_FRAME_BYTES } from '../constants';
import { delimiter } from './delimiter';
import type { Framing } from './framing';
import { headerPrefix, type HeaderPrefixOptions } from './header-prefix';
import { lengthPrefix } from './length-prefix';

/** The three jsocket generations; nothing on the wire tells them apart, so a peer is configured. */
export type JsocketGeneration = 'legacy' | 'v1' | 'v2';

/**
 * jsocket framing: `'v1'` (u32 big-endian length), `'legacy'` (u32 little-endian length) or
 * `'v2'` (`JSN1`, u32 BE length, u32 BE CRC-32 of the payload; 10 MiB max). Lengths count payload
 * bytes, never the header.
 *
 * @example
 * ```ts
 * const framing = jsocketFraming('v2');
 * socketChunks$.pipe(framing.decode(), decodeMessages(json())).subscribe(console.log);
 * ```
 */
export function jsocketFraming(generation: JsocketGeneration = 'v2', options: { maxFrameBytes?: number } = {}): Framing {
  switch (generation) {
    case 'legacy':
      return lengthPrefix({ lengthBytes: 4, endian: 'little', ...options });
    case 'v1':
      return lengthPrefix({ lengthBytes: 4, endian: 'big', ...options });
    default:
      return headerPrefix({
        magic: 'JSN1',
        lengthBytes: 4,
        endian: 'big',
        checksum: 'crc32',
        maxFrameBytes: options.maxFrameBytes ?? JSOCKET_V2_MAX_FRAME_BYTES,
      });
  }
}

/**
 * socket-oneline framing: lines ending in LF. CR is not stripped (`"ping\r"` is not `ping`), as
 * the original server does not strip it.
 *
 * @example
 * ```ts
 * const [line, lf] = onelineFraming().encodeFrame(Buffer.from('ping'));
 * ```
 */
export function onelineFraming(options: { maxFrameBytes?: number } = {}): Framing {
  return delimiter({ delimiter: '\n', ...options });
}

/**
 * packetsocket framing: `#!?&`, the body length as u32 little-endian (prefix not counted), the
 * body. A wrong prefix fails by default; pass `badMagic: 'resync'` to skip to the next packet.
 *
 * @example
 * ```ts
 * const [header, body] = packetsocketFraming().encodeFrame(Buffer.from('hello'));
 * ```
 */
export function packetsocketFraming(
  options: Pick<HeaderPrefixOptions, 'maxFrameBytes' | 'badMagic' | 'onBadMagic' | 'onResync'> = {},
): Framing {
  return headerPrefix({ magic: '#!?&', lengthBytes: 4, endian: 'little', ...options });
}

/** Which way a jsockd stream flows: NUL-terminated command fields to it, LF reply lines from it. */
export type JsockdDirection = 'commands' | 'replies';

/**
 * jsockd framing: the client writes NUL-separated fields (`id`, query, JSON parameter, each ended
 * by the `-b 00` separator) and reads LF-terminated reply lines (`<id> ok <json>`, ...).
 *
 * @example
 * ```ts
 * const toDaemon = jsockdFraming('commands');
 * const fromDaemon = jsockdFraming('replies');
 * ```
 */
export function jsockdFraming(direction: JsockdDirection, options: { maxFrameBytes?: number } = {}): Framing {
  return delimiter({ delimiter: direction === 'commands' ? 0x00 : '\n', ...options });
}
