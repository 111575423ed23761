import { FrameTooLargeError, InvalidOptionError } from '../errors';
import { FrameDecoderBase, type FrameCallback } from '../framing/frame-decoder';
import { defineFraming, type Framing } from '../framing/framing';

const EMPTY = new Uint8Array(0);

/** The decoder of {@link messageFraming}: every chunk is already one whole message. */
class WholeMessageDecoder extends FrameDecoderBase {
  readonly bufferedBytes = 0;

  constructor(private readonly maxFrameBytes: number) {
    super();
  }

  feed(chunk: Uint8Array, onFrame: FrameCallback): void {
    if (chunk.byteLength > this.maxFrameBytes) throw new FrameTooLargeError(chunk.byteLength, this.maxFrameBytes);
    onFrame(chunk);
  }
}

/**
 * The framing of message transports (WebSocket): the transport delivers whole messages, so a frame
 * is one message as it is, with no header. Only the size limit remains: a payload over
 * `maxFrameBytes` is refused with FrameTooLargeError, on send as on receive. Internal; free of
 * Node imports (the browser entry uses it).
 */
export function messageFraming(maxFrameBytes: number): Framing {
  if (!(maxFrameBytes >= 0)) throw new InvalidOptionError('maxFrameBytes', maxFrameBytes, 'a non-negative number');
  return defineFraming({
    name: 'websocket-message',
    maxFrameBytes,
    overheadBytes: 0,
    createDecoder: () => new WholeMessageDecoder(maxFrameBytes),
    encodeFrame(payload) {
      if (payload.byteLength > maxFrameBytes) throw new FrameTooLargeError(payload.byteLength, maxFrameBytes);
      return [payload, EMPTY];
    },
    encodeInto(payload, target, offset) {
      if (payload.byteLength > maxFrameBytes) throw new FrameTooLargeError(payload.byteLength, maxFrameBytes);
      target.set(payload, offset);
      return offset + payload.byteLength;
    },
  });
}
