import type { Framing } from '../framing/framing';

/**
 * Messages and wire bytes that went one way. A frame counts as its payload plus the framing's
 * overhead (header, or delimiter), which is what crossed the socket.
 *
 * @example
 * ```ts
 * const received = new TrafficCounter(lengthPrefix());
 * received.add(Buffer.from('hello'));
 * received.describe(); // '1 message (9 bytes)'
 * ```
 */
export class TrafficCounter {
  /** Frames counted. */
  messages = 0;
  /** Wire bytes of those frames. */
  bytes = 0;

  constructor(private readonly framing: Framing) {}

  /** Counts one frame with this payload. */
  add(payload: Uint8Array): void {
    this.messages++;
    this.bytes += payload.byteLength + this.framing.overheadBytes;
  }

  /** `N messages (B bytes)`. */
  describe(): string {
    return `${this.messages} ${this.messages === 1 ? 'message' : 'messages'} (${this.bytes} ${this.bytes === 1 ? 'byte' : 'bytes'})`;
  }
}
