import type { Duplex } from 'node:stream';
import type { SocketAddress } from './connection';
import { ConnectionCore, type PipeUnsent } from './connection-core';
import type { ResolvedConnectionOptions } from './connection-options';
import { FrameWriter } from './frame-writer';

/**
 * A {@link Connection} over any Node `Duplex`: the shared {@link ConnectionCore} lifecycle, adapted
 * to a stream. The socket is read ahead up to `maxHeldBytes` until `messages$` is subscribed; output goes through a
 * {@link FrameWriter}; every listener is a named method, removed by reference when the socket closes.
 */
export class SocketConnection<In, Out> extends ConnectionCore<In, Out> {
  private readonly writer: FrameWriter;

  constructor(
    private readonly socket: Duplex,
    options: ResolvedConnectionOptions<In, Out>,
    localAddress: SocketAddress | undefined,
    remoteAddress: SocketAddress | undefined,
  ) {
    super(options, localAddress, remoteAddress);
    this.writer = new FrameWriter(socket, options.outFraming, options.maxQueuedBytes, {
      writable: (ready) => this.writableChanged(ready),
      overflow: (error) => this.fail(error),
      flushed: () => this.allFlushed(),
    });
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

  protected pipeWrite(payload: Uint8Array): boolean {
    return this.writer.write(payload);
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
