import type { Duplex } from 'node:stream';
import { BehaviorSubject, distinctUntilChanged, ReplaySubject, type Observable, type Subscription } from 'rxjs';
import { decodeFrame, encodeValue } from '../codec/codec-operators';
import type { FrameDecoder } from '../framing/framing';
import type { CloseInfo, Connection, ConnectionSink, SocketAddress } from './connection';
import { MessageFanOut } from './message-fan-out';
import type { ResolvedConnectionOptions } from './connection-options';
import { ConnectionTimers } from './connection-timers';
import { FrameWriter } from './frame-writer';

/** How `messages$` ended, once it has. */

/**
 * A {@link Connection} over any Node `Duplex`. The socket stays paused until `messages$` is
 * subscribed; every listener is a named method, removed by reference when the socket closes.
 */
export class SocketConnection<In, Out> implements Connection<In, Out> {
  readonly messages$: Observable<In>;
  readonly sink: ConnectionSink<Out>;
  readonly writable$: Observable<boolean>;
  readonly closed$: Observable<CloseInfo>;

  private readonly fanOut = new MessageFanOut<In>(
    () => this.startReading(),
    () => {
      if (this.reading && !this.closing) {
        this.reading = false;
        this.socket.pause();
      }
    },
  );
  private readonly decoder: FrameDecoder;
  private readonly writer: FrameWriter;
  private readonly timers: ConnectionTimers;
  private readonly writableState = new BehaviorSubject(true);
  private readonly closedState = new ReplaySubject<CloseInfo>(1);
  private failure: unknown = undefined;
  private reading = false;
  /** The user asked to stop reading (inbound backpressure). */
  private paused = false;
  private outputEnded = false;
  private closing = false;
  private closed = false;
  private closeTimer: Subscription | null = null;
  /** Messages given to the sink after it completed or the socket closed: never sent. */
  private late = 0;

  constructor(
    private readonly socket: Duplex,
    private readonly options: ResolvedConnectionOptions<In, Out>,
    readonly localAddress: SocketAddress | undefined,
    readonly remoteAddress: SocketAddress | undefined,
  ) {
    this.decoder = options.inFraming.createDecoder();
    this.writer = new FrameWriter(socket, options.outFraming, options.maxQueuedBytes, {
      writable: (ready) => this.writableState.next(ready),
      overflow: (error) => this.fail(error),
    });
    this.timers = new ConnectionTimers(
      options.scheduler,
      options.stallTimeout,
      options.idleTimeout,
      () => this.decoder.bufferedBytes,
      (error) => this.fail(error),
    );
    this.messages$ = this.fanOut.messages$;
    this.writable$ = this.writableState.pipe(distinctUntilChanged());
    this.closed$ = this.closedState.asObservable();
    this.sink = {
      next: (message: Out) => this.send(message),
      error: (error: unknown) => this.destroy(error),
      complete: () => this.endOutput(),
    };
    socket.pause();
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    if (socket.destroyed) queueMicrotask(this.onClose);
  }

  get queuedBytes(): number {
    return this.writer.queuedBytes;
  }

  get queuedMessages(): number {
    return this.writer.queuedMessages;
  }

  get lateMessages(): number {
    return this.late;
  }

  close(reason?: unknown): void {
    if (reason !== undefined) {
      if (this.failure === undefined) this.failure = reason;
      this.fanOut.finish({ error: reason });
    }
    if (this.closing || this.closed) return;
    this.closing = true;
    this.endOutput();
    // Read on, even with nobody subscribed (or paused), so that the peer's end of stream is seen.
    this.resume();
    this.startReading();
    this.closeTimer = this.options.scheduler.schedule(() => this.destroy(), this.options.closeTimeout);
  }

  destroy(error?: unknown): void {
    if (error !== undefined) this.fail(error);
    else if (!this.closed) this.socket.destroy();
  }

  pause(): void {
    this.paused = true;
    if (this.reading) this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.reading) this.socket.resume();
  }

  private startReading(): void {
    if (this.reading || this.closed) return;
    this.reading = true;
    if (this.socket.listenerCount('data') === 0) this.socket.on('data', this.onData);
    if (!this.paused) this.socket.resume();
  }

  private send(message: Out): void {
    if (this.outputEnded || this.closed) {
      this.late++;
      return;
    }
    try {
      this.writer.write(encodeValue(this.options.outCodec, message));
    } catch (error) {
      this.fail(error);
      return;
    }
    this.timers.activity();
  }

  private endOutput(): void {
    if (this.outputEnded || this.closed) return;
    this.outputEnded = true;
    this.writer.end();
  }

  /** Ends the connection with `error`: delivered on `messages$` and `closed$`, socket destroyed. */
  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
    this.fanOut.finish({ error });
    if (!this.closed) this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.fanOut.ended) return;
    this.timers.activity();
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail(error);
      return;
    }
    for (const frame of frames) {
      let value: In;
      try {
        value = decodeFrame(this.options.inCodec, frame);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.fanOut.emit(value);
      if (this.fanOut.ended) return;
    }
    this.timers.afterChunk(frames.length > 0, this.decoder.bufferedBytes);
  };

  private readonly onEnd = (): void => {
    if (this.fanOut.ended) return;
    let frames: Uint8Array[];
    try {
      frames = this.decoder.end();
      for (const frame of frames) this.fanOut.emit(decodeFrame(this.options.inCodec, frame));
    } catch (error) {
      this.fail(error);
      return;
    }
    this.fanOut.finish('complete');
    if (!this.options.allowHalfOpen) this.endOutput();
  };

  private readonly onError = (error: Error): void => {
    this.fail(error);
  };

  private readonly onClose = (): void => {
    if (this.closed) return;
    this.closed = true;
    const unsentBytes = this.writer.queuedBytes;
    const unsentMessages = this.writer.queuedMessages + this.late;
    this.writer.stop();
    this.timers.stop();
    this.closeTimer?.unsubscribe();
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('end', this.onEnd);
    this.socket.removeListener('close', this.onClose);
    // The 'error' listener stays: a late error from a closed socket must never go unhandled.
    this.fanOut.finish(this.failure === undefined ? 'complete' : { error: this.failure });
    this.writableState.complete();
    this.closedState.next({ error: this.failure, unsentBytes, unsentMessages });
    this.closedState.complete();
  };
}
