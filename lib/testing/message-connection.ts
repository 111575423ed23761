import { BehaviorSubject, distinctUntilChanged, ignoreElements, ReplaySubject, type Observable, type Subscription } from 'rxjs';
import { decodeFrame, encodeValue } from '../codec/codec-operators';
import type { CloseInfo, ConnectionSink, SocketAddress } from '../connection/connection';
import type { ResolvedConnectionOptions } from '../connection/connection-options';
import { ConnectionTimers } from '../connection/connection-timers';
import { MessageFanOut } from '../connection/message-fan-out';
import type { FrameDecoder } from '../framing/framing';
import { joinBytes } from './chunking';
import type { TestConnection } from './test-connection';

/** How `messages$` ended, once it has. */

/** What the peer sent: a chunk of bytes, or its end of stream. */
type Arrival = Uint8Array | 'end';

/**
 * A {@link TestConnection}: the state machine of a socket connection (paused until read, half-close,
 * graceful close with a close timer, stall and idle timers, late messages) without a socket. Bytes
 * go through the real framing decoder and codec, synchronously, so every event happens in the
 * virtual frame that caused it.
 */
export class MessageConnection<In, Out> implements TestConnection<In, Out> {
  readonly messages$: Observable<In>;
  readonly sink: ConnectionSink<Out>;
  readonly writable$: Observable<boolean>;
  readonly closed$: Observable<CloseInfo>;
  readonly outgoing$: Observable<Out>;
  readonly outgoingBytes$: Observable<Uint8Array>;
  /** Nothing queues: each message is handed over in the frame it is sent. */
  readonly queuedBytes = 0;
  readonly queuedMessages = 0;
  /** Always writable: nothing queues. */
  readonly writable = true;
  /** Never emits: nothing queues, so there is never anything to flush. */
  readonly flushed$: Observable<void>;

  private readonly fanOut = new MessageFanOut<In>(
    () => this.startReading(),
    () => {
      if (!this.closing) this.reading = false;
    },
  );
  private readonly decoder: FrameDecoder;
  /** Decodes what this end sends, as the peer would. */
  private readonly peerDecoder: FrameDecoder;
  private readonly outgoing = new ReplaySubject<Out>();
  private readonly outgoingBytes = new ReplaySubject<Uint8Array>();
  private readonly writableState = new BehaviorSubject(true);
  private readonly closedState = new ReplaySubject<CloseInfo>(1);
  /** Arrivals not read yet (nobody subscribed to `messages$`). */
  private readonly held: Arrival[] = [];
  private timers: ConnectionTimers | null = null;
  private source: Subscription | null = null;
  private failure: unknown = undefined;
  private opened = false;
  private reading = false;
  private paused = false;
  private draining = false;
  private inputEnded = false;
  private outputEnded = false;
  private closing = false;
  private closed = false;
  private closeTimer: Subscription | null = null;
  private late = 0;

  constructor(
    private readonly incoming: Observable<Uint8Array>,
    private readonly options: ResolvedConnectionOptions<In, Out>,
    readonly localAddress: SocketAddress | undefined,
    readonly remoteAddress: SocketAddress | undefined,
  ) {
    this.decoder = options.inFraming.createDecoder();
    this.peerDecoder = options.outFraming.createDecoder();
    this.messages$ = this.fanOut.messages$;
    this.writable$ = this.writableState.pipe(distinctUntilChanged());
    this.flushed$ = this.writableState.pipe(ignoreElements());
    this.closed$ = this.closedState.asObservable();
    this.outgoing$ = this.outgoing.asObservable();
    this.outgoingBytes$ = this.outgoingBytes.asObservable();
    this.sink = {
      next: (message: Out) => this.send(message),
      error: (error: unknown) => this.destroy(error),
      complete: () => this.endOutput(),
    };
  }

  get lateMessages(): number {
    return this.late;
  }

  open(): void {
    if (this.opened || this.closed) return;
    this.opened = true;
    this.timers = new ConnectionTimers(
      this.options.scheduler,
      this.options.stallTimeout,
      this.options.idleTimeout,
      () => this.decoder.bufferedBytes,
      (error) => this.fail(error),
    );
    const source = this.incoming.subscribe({
      next: (chunk) => this.arrive(chunk),
      // Like a socket's 'error' event: delivered at once, read or not.
      error: (error: unknown) => this.fail(error),
      complete: () => this.arrive('end'),
    });
    if (this.closed) source.unsubscribe();
    else this.source = source;
  }

  close(reason?: unknown): void {
    if (reason !== undefined) {
      if (this.failure === undefined) this.failure = reason;
      this.fanOut.finish({ error: reason });
    }
    if (this.closing || this.closed) return;
    this.closing = true;
    this.open();
    this.endOutput();
    // Read on, even with nobody subscribed (or paused), so that the peer's end of stream is seen.
    this.paused = false;
    this.startReading();
    if (!this.closed) this.closeTimer = this.options.scheduler.schedule(() => this.destroy(), this.options.closeTimeout);
  }

  destroy(error?: unknown): void {
    if (error !== undefined) this.fail(error);
    else this.onClose();
  }

  pause(): void {
    this.paused = true;
    this.timers?.pause();
  }

  resume(): void {
    this.paused = false;
    this.timers?.resume();
    this.drain();
  }

  private startReading(): void {
    if (this.reading || this.closed) return;
    this.reading = true;
    this.open();
    this.drain();
  }

  private arrive(arrival: Arrival): void {
    this.held.push(arrival);
    this.drain();
  }

  /** Reads what arrived, in order, while somebody reads. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.reading && !this.paused && !this.closed && this.held.length > 0) this.read(this.held.shift() as Arrival);
    } finally {
      this.draining = false;
    }
  }

  private read(arrival: Arrival): void {
    if (arrival === 'end') return this.onEnd();
    if (this.fanOut.ended) return;
    const timers = this.timers as ConnectionTimers;
    timers.activity();
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(arrival);
    } catch (error) {
      return this.fail(error);
    }
    for (const frame of frames) {
      let value: In;
      try {
        value = decodeFrame(this.options.inCodec, frame);
      } catch (error) {
        return this.fail(error);
      }
      this.fanOut.emit(value);
      if (this.fanOut.ended) return;
    }
    timers.afterChunk(frames.length > 0, this.decoder.bufferedBytes);
  }

  private onEnd(): void {
    this.inputEnded = true;
    if (!this.fanOut.ended) {
      try {
        for (const frame of this.decoder.end()) this.fanOut.emit(decodeFrame(this.options.inCodec, frame));
      } catch (error) {
        return this.fail(error);
      }
      this.fanOut.finish('complete');
      if (!this.options.allowHalfOpen) this.endOutput();
    }
    if (this.outputEnded) this.onClose();
  }

  private send(message: Out): void {
    if (this.outputEnded || this.closed) {
      this.late++;
      return;
    }
    this.open();
    let bytes: Uint8Array;
    let values: Out[];
    try {
      bytes = joinBytes(this.options.outFraming.encodeFrame(encodeValue(this.options.outCodec, message)));
      values = this.peerDecoder.push(bytes).map((frame) => decodeFrame(this.options.outCodec, frame));
    } catch (error) {
      return this.fail(error);
    }
    this.timers?.activity();
    this.outgoingBytes.next(bytes);
    for (const value of values) this.outgoing.next(value);
  }

  private endOutput(): void {
    if (this.outputEnded || this.closed) return;
    this.open();
    this.outputEnded = true;
    this.outgoingBytes.complete();
    this.outgoing.complete();
    if (this.inputEnded) this.onClose();
  }

  /** Ends the connection with `error`: delivered on `messages$`, `outgoing$` and `closed$`. */
  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
    this.fanOut.finish({ error });
    this.onClose();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.timers?.stop();
    this.closeTimer?.unsubscribe();
    this.source?.unsubscribe();
    this.held.length = 0;
    this.fanOut.finish(this.failure === undefined ? 'complete' : { error: this.failure });
    if (!this.outputEnded) {
      this.outputEnded = true;
      if (this.failure === undefined) {
        this.outgoingBytes.complete();
        this.outgoing.complete();
      } else {
        this.outgoingBytes.error(this.failure);
        this.outgoing.error(this.failure);
      }
    }
    this.writableState.complete();
    this.closedState.next({ error: this.failure, unsentBytes: 0, unsentMessages: this.late });
    this.closedState.complete();
  }
}
