import { Duplex } from 'node:stream';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { InvalidOptionError } from '../errors';
import { connectionReset } from './connection-reset';
import { Lane, type Chunking, type WireLane } from './wire-lane';

/**
 * The two ends of a wire pair.
 *
 * @example
 * ```ts
 * wire.halfClose('client'); // the server reads an end of stream
 * ```
 */
export type WireSide = 'client' | 'server';

/**
 * What happens to bytes between the two ends of a {@link wirePair} or {@link connectionPair}.
 * The setters apply to both directions; `toServer` and `toClient` control one each.
 *
 * @example
 * ```ts
 * const { client, server, wire } = connectionPair({ framing: delimiter(), codec: utf8() });
 * wire.chunking('bytewise');   // both ways, one byte per chunk
 * wire.toClient.delay(50);     // replies arrive 50 ms late (on the pair's scheduler)
 * wire.reset('client');        // the client resets: the server fails with ECONNRESET
 * ```
 */
export interface Wire {
  /** What the client writes and the server reads. */
  readonly toServer: WireLane;
  /** What the server writes and the client reads. */
  readonly toClient: WireLane;
  /** Cuts bytes both ways as `mode` says. */
  chunking(mode: Chunking): this;
  /** Delays bytes both ways by `ms` milliseconds. */
  delay(ms: number): this;
  /** Holds bytes both ways until {@link release}. */
  stall(): this;
  /** Delivers everything held both ways and flows again. */
  release(): this;
  /**
   * Resets the connection: bytes in transit are dropped. Without `from`, both ends fail with an
   * ECONNRESET error (a reset by the network); with it, that end closes without an error and its
   * peer fails with ECONNRESET (as after `socket.resetAndDestroy()`).
   */
  reset(from?: WireSide): void;
  /** Ends `side`'s writing half under its feet (`shutdown(SHUT_WR)`): the peer reads an end of stream after the bytes in transit. */
  halfClose(side: WireSide): void;
}

/**
 * Options of {@link wirePair}.
 *
 * @example
 * ```ts
 * const { wire } = wirePair({ scheduler: new VirtualTimeScheduler(), highWaterMark: 1024 });
 * ```
 */
export interface WirePairOptions {
  /** Scheduler of the delays. Default `asyncScheduler`; a TestScheduler or VirtualTimeScheduler in tests. */
  scheduler?: SchedulerLike;
  /** Bytes in transit one way before the writer must wait (its `write()` then returns false once its own buffer fills). Default 16 KiB. */
  highWaterMark?: number;
}

/**
 * Two in-memory stream ends joined by a {@link Wire}.
 *
 * @example
 * ```ts
 * const { client, server, wire } = wirePair();
 * const connection = fromSocket(server, { framing: delimiter(), codec: utf8() });
 * client.write('hello\n');
 * ```
 */
export interface WirePair {
  /** The client's end. */
  readonly client: Duplex;
  /** The server's end. */
  readonly server: Duplex;
  /** What happens to bytes in between. */
  readonly wire: Wire;
}

/** One end of a wire pair: its writes go into `outbound`, its reads come from `inbound`. */
class WireEnd extends Duplex {
  peer: WireEnd | null = null;
  outbound!: Lane;
  inbound!: Lane;

  override _read(): void {
    this.inbound.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer === null || this.peer.destroyed) {
      callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
      return;
    }
    this.outbound.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.outbound.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Nothing reaches this end any more; what it wrote still arrives, then the end of stream.
    this.inbound.stop();
    this.outbound.end();
    if (this.peer !== null) this.peer.peer = null;
    this.peer = null;
    callback(error);
  }

  /** The lane's receiver: a destroyed end takes nothing. */
  receiver(): { push: (chunk: Uint8Array) => boolean; end: () => void } {
    return {
      push: (chunk) => !this.destroyed && this.push(chunk),
      end: () => {
        if (!this.destroyed) this.push(null);
      },
    };
  }
}

class WireControl implements Wire {
  constructor(
    private readonly client: WireEnd,
    private readonly server: WireEnd,
  ) {}

  get toServer(): WireLane {
    return this.client.outbound;
  }

  get toClient(): WireLane {
    return this.server.outbound;
  }

  chunking(mode: Chunking): this {
    this.client.outbound.chunking(mode);
    this.server.outbound.chunking(mode);
    return this;
  }

  delay(ms: number): this {
    this.client.outbound.delay(ms);
    this.server.outbound.delay(ms);
    return this;
  }

  stall(): this {
    this.client.outbound.stall();
    this.server.outbound.stall();
    return this;
  }

  release(): this {
    this.client.outbound.release();
    this.server.outbound.release();
    return this;
  }

  reset(from?: WireSide): void {
    if (from !== undefined && from !== 'client' && from !== 'server') throw new InvalidOptionError('from', from, "'client' or 'server'");
    this.client.outbound.stop();
    this.server.outbound.stop();
    for (const end of [this.client, this.server]) {
      const sender = from !== undefined && end === (from === 'client' ? this.client : this.server);
      if (sender) end.destroy();
      else end.destroy(connectionReset());
    }
  }

  halfClose(side: WireSide): void {
    if (side !== 'client' && side !== 'server') throw new InvalidOptionError('side', side, "'client' or 'server'");
    (side === 'client' ? this.client : this.server).end();
  }
}

/**
 * Two connected in-memory stream ends, like the two ends of a socket, with a {@link Wire} in
 * between that cuts, delays, stalls or resets the bytes. `end()` on one end is an end of stream
 * for the other after the bytes in transit; `destroy()` ends it too; a reader that does not read
 * makes the writer's `write()` return false. Wrap the ends with `fromSocket`, or use
 * {@link connectionPair} which does.
 *
 * @example
 * ```ts
 * const { client, server, wire } = wirePair();
 * wire.toServer.chunking([3]);
 * server.on('data', (chunk: Buffer) => console.log(chunk.length)); // 3, 3, 1
 * client.write('abcdefg');
 * ```
 */
export function wirePair(options: WirePairOptions = {}): WirePair {
  const scheduler = options.scheduler ?? asyncScheduler;
  const highWaterMark = options.highWaterMark ?? 16 * 1024;
  if (!(highWaterMark >= 0)) throw new InvalidOptionError('highWaterMark', highWaterMark, 'a non-negative number');
  const client = new WireEnd({ allowHalfOpen: true, highWaterMark });
  const server = new WireEnd({ allowHalfOpen: true, highWaterMark });
  client.peer = server;
  server.peer = client;
  client.outbound = server.inbound = new Lane(server.receiver(), scheduler, highWaterMark);
  server.outbound = client.inbound = new Lane(client.receiver(), scheduler, highWaterMark);
  return { client, server, wire: new WireControl(client, server) };
}
