import type { Duplex } from 'node:stream';
import { ConnectionCore, type PipeUnsent, type AddressSource } from './connection-core';
import type { ResolvedConnectionOptions } from './connection-options';
import { FrameWriter, type FrameWriterEvents } from './frame-writer';
import type { QueueOverflowError } from '../errors';
import type { SharedMessage } from './shared-message';

/**
 * A {@link Connection} over any Node `Duplex`: the shared {@link ConnectionCore} lifecycle, adapted
 * to a stream. The socket is read ahead up to `maxHeldBytes` until `messages$` is subscribed; output goes through a
 * {@link FrameWriter}; every listener is a named method, removed by reference when the socket closes.
 */
export class SocketConnection<In, Out> extends ConnectionCore<In, Out> implements FrameWriterEvents {
  private readonly writer: FrameWriter;

  constructor(
    private readonly socket: Duplex,
    options: ResolvedConnectionOptions<In, Out>,
    addresses: AddressSource,
  ) {
    super(options, addresses);
    this.writer = new FrameWriter(socket, options.outFraming, options.maxQueuedBytes, this);
    socket.pause();
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    if (socket.destroyed) queueMicrotask(this.onClose);
    else this.beginReading();
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

  protected pipeWrite(payload: Uint8Array): boolean {
    return this.writer.write(payload);
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
    if (this.socket.listenerCount('data') === 0) this.socket.on('data', this.onData);
    this.socket.resume();
  }

  protected pipePause(): void {
    this.socket.pause();
  }

  protected pipeStop(): PipeUnsent {
    return this.writer.stop();
  }

  private readonly onData = (chunk: Buffer): void => this.received(chunk);

  private readonly onEnd = (): void => this.inputEnded();

  private readonly onError = (error: Error): void => this.fail(error);

  private readonly onClose = (): void => {
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('end', this.onEnd);
    this.socket.removeListener('close', this.onClose);
    // The 'error' listener stays: a late error from a closed socket must never go unhandled.
    this.pipeClosed();
  };
}
