import { Duplex } from 'node:stream';

/** One end of an in-memory pair: what it writes, its peer reads, with backpressure both ways. */
class PairEnd extends Duplex {
  peer: PairEnd | null = null;
  /** The write callback held back while the peer's read buffer is full. */
  private heldWrite: (() => void) | null = null;
  /** Set when the held write is released because this end's peer went away. */
  private failHeldWrite = false;

  override _read(): void {
    const release = this.peer?.heldWrite;
    if (this.peer !== null && release) {
      this.peer.heldWrite = null;
      release();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === null || peer.destroyed) {
      callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      return;
    }
    if (peer.push(chunk)) callback();
    else
      this.heldWrite = () => {
        if (this.failHeldWrite) callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        else callback();
      };
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = null;
    // A write the peer held back for want of room will never be read now: fail it, as a socket would.
    const held = peer?.heldWrite;
    if (peer && held) {
      peer.heldWrite = null;
      peer.failHeldWrite = true;
      held();
    }
    // Like a socket: the other end sees its peer vanish as an end of stream.
    if (peer !== null && !peer.destroyed) {
      peer.peer = null;
      peer.push(null);
    }
    callback(error);
  }
}

/**
 * Two connected in-memory streams, like the two ends of a socket: bytes written to one are read
 * from the other, `end()` on one is an end of stream on the other, `destroy()` on one ends the
 * other, and a reader that does not read makes the writer's `write()` return false.
 *
 * @example
 * ```ts
 * const [clientSide, serverSide] = duplexPair();
 * const client = fromSocket(clientSide, { framing: delimiter(), codec: utf8() });
 * const server = fromSocket(serverSide, { framing: delimiter(), codec: utf8() });
 * ```
 */
export function duplexPair(options: { highWaterMark?: number } = {}): [Duplex, Duplex] {
  const a = new PairEnd({ allowHalfOpen: true, highWaterMark: options.highWaterMark });
  const b = new PairEnd({ allowHalfOpen: true, highWaterMark: options.highWaterMark });
  a.peer = b;
  b.peer = a;
  return [a, b];
}
