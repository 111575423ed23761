import type { Duplex } from 'node:stream';
import { ConnectionCore, type PipeUnsent, type AddressSource } from './connection-core';
import type { ResolvedConnectionOptions } from './connection-options';
import { FrameWriter, type FrameWriterEvents } from './frame-writer';
import type { QueueOverflowError } from '../errors';
import type { SharedMessage } from './shared-message';
import { addressesOf } from './socket-address';
import type { Addresses } from './connection-core';

/** Where a socket keeps the connection over it, for the listeners all connections share. */
const kConnection = Symbol('rxsocket.connection');

/** A socket that carries its connection, for the shared listeners. */
interface OwnedSocket extends Duplex {
  [kConnection]: SocketConnection<unknown, unknown>;
}

// The socket listeners, one set for every connection, called with the socket as `this`.
function onData(this: Duplex, chunk: Buffer): void {
  (this as OwnedSocket)[kConnection].socketData(chunk);
}

function onEnd(this: Duplex): void {
  (this as OwnedSocket)[kConnection].socketEnded();
}

function onError(this: Duplex, error: Error): void {
  (this as OwnedSocket)[kConnection].socketFailed(error);
}

function onClose(this: Duplex): void {
  this.removeListener('data', onData);
  this.removeListener('end', onEnd);
  this.removeListener('close', onClose);
  // The 'error' listener stays: a late error from a closed socket must never go unhandled.
  (this as OwnedSocket)[kConnection].socketClosed();
}

/**
 * A {@link Connection} over any Node `Duplex`: the shared {@link ConnectionCore} lifecycle, adapted
 * to a stream. The socket is read ahead up to `maxHeldBytes` until `messages$` is subscribed; output goes through a
 * {@link FrameWriter}. Its socket listeners are functions shared by every connection (the socket
 * carries its connection under a symbol), so a connection makes none of its own; they are removed
 * by reference when the socket closes.
 */
export class SocketConnection<In, Out> extends ConnectionCore<In, Out> implements FrameWriterEvents {
  private readonly writer: FrameWriter<Duplex>;

  /**
   * `addresses` are the connection's addresses, or how to read them; `null` reads them from the
   * socket on first use, with what a server knows of them (`options.serverAddresses`).
   */
  constructor(socket: Duplex, options: ResolvedConnectionOptions<In, Out>, addresses: AddressSource) {
    super(options, addresses);
    this.writer = new FrameWriter(socket, options.outFraming, options.maxQueuedBytes, this);
    (socket as OwnedSocket)[kConnection] = this as SocketConnection<unknown, unknown>;
    socket.pause();
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    if (socket.destroyed) queueMicrotask(() => onClose.call(socket));
    else this.beginReading();
  }

  /** The stream, held once (by the writer). */
  private get socket(): Duplex {
    return this.writer.socket;
  }

  get queuedBytes(): number {
    return this.writer.queuedBytes;
  }

  get queuedMessages(): number {
    return this.writer.queuedMessages;
  }

  get writable(): boolean {
    return this.writer.writable;
  }

  /** @internal Told by the writer. */
  writerReady(ready: boolean): void {
    this.writableChanged(ready);
  }

  /** @internal Told by the writer. */
  writerOverflow(error: QueueOverflowError): void {
    this.fail(error);
  }

  /** @internal Told by the writer. */
  writerFlushed(): void {
    this.allFlushed();
  }

  protected override readAddresses(): Addresses {
    const server = this.options.serverAddresses;
    return server === undefined ? addressesOf(this.socket) : server.of(this.socket);
  }

  protected pipeWrite(payload: Uint8Array): boolean {
    return this.writer.write(payload);
  }

  protected override takesTextPayloads(): boolean {
    return this.options.outFraming.encodeTextInto !== undefined;
  }

  protected override pipeWriteText(text: string): number {
    return this.writer.writeText(text);
  }

  protected override pipeWriteShared(shared: SharedMessage<Out>, payload: Uint8Array): boolean {
    return this.writer.writeFrame(shared.frame(this.options.outFraming, payload));
  }

  protected pipeEnd(): void {
    this.writer.end();
  }

  protected pipeDestroy(): void {
    this.socket.destroy();
  }

  protected pipeResume(): void {
    // Another 'data' listener (the user's logger) may be there already: ours is added once, next to it.
    if (!this.socket.listeners('data').includes(onData)) this.socket.on('data', onData);
    this.socket.resume();
  }

  protected pipePause(): void {
    this.socket.pause();
  }

  protected pipeStop(): PipeUnsent {
    return this.writer.stop();
  }

  /** @internal For the shared socket listeners. */
  socketData(chunk: Buffer): void {
    this.received(chunk);
  }

  /** @internal For the shared socket listeners. */
  socketEnded(): void {
    this.inputEnded();
  }

  /** @internal For the shared socket listeners. */
  socketFailed(error: Error): void {
    this.fail(error);
  }

  /** @internal For the shared socket listeners. */
  socketClosed(): void {
    this.pipeClosed();
  }

}
