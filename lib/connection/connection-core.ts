import { BehaviorSubject, distinctUntilChanged, Observable, ReplaySubject, Subject, type Subscription } from 'rxjs';
import { decodeFrame, encodeValue } from '../codec/codec-operators';
import type { FrameDecoder } from '../framing/framing';
import type { CloseInfo, Connection, ConnectionSink, SocketAddress } from './connection';
import type { ResolvedConnectionOptions } from './connection-options';
import { ConnectionTimers } from './connection-timers';
import { MessageFanOut } from './message-fan-out';
import { sinkSubject } from './sink-subject';
import { TrafficCounters, type ConnectionTraffic } from '../stats/traffic';

/**
 * Bytes a held message counts for beyond its frame, so that empty frames are bounded by
 * `maxHeldBytes` too (the held entry and its size cost about that much).
 */
const HELD_MESSAGE_OVERHEAD = 8;

/** What a transport's output side says it never wrote, when the transport has closed. */
export interface PipeUnsent {
  readonly bytes: number;
  readonly messages: number;
}

/**
 * The lifecycle of one connection, written once for every transport (TCP, Unix, TLS, any
 * `Duplex`, WebSocket): reading paused until `messages$` is subscribed, inbound backpressure,
 * half-close, graceful close with a close timer, stall and idle timers that stop while reading is
 * paused, and the accounting of late and unsent messages.
 *
 * While nobody is subscribed, it reads ahead, holding decoded messages for the first subscriber,
 * up to `maxHeldBytes`: so the peer's end or a reset is noticed (and `closed$` emits) even on a
 * connection that only writes, and nothing received is lost.
 *
 * A transport is a subclass that adapts its pipe in a few methods: hand over an encoded message
 * (`pipeWrite`), end or destroy the pipe, pause and resume reading, and report what it never
 * wrote. It calls back with what happens: bytes or whole frames received (`received`,
 * `receivedFrame`), the peer's end (`inputEnded`), an error (`fail`), writability (`writableChanged`),
 * everything flushed (`allFlushed`), and the pipe closed (`pipeClosed`). Internal: not exported.
 */
export abstract class ConnectionCore<In, Out> implements Connection<In, Out> {
  readonly messages$: Observable<In>;
  readonly sink: ConnectionSink<Out>;
  readonly writable$: Observable<boolean>;
  readonly closed$: Observable<CloseInfo>;
  readonly flushed$: Observable<void>;
  private readonly counters = new TrafficCounters();

  private readonly fanOut = new MessageFanOut<In>(
    () => this.beginReading(),
    () => this.updateReading(),
  );
  /** Decoder of incoming bytes; transports that receive whole frames leave it unused. */
  protected readonly decoder: FrameDecoder;
  private timers: ConnectionTimers;
  private readonly writableState = new BehaviorSubject(true);
  private readonly closedState = new ReplaySubject<CloseInfo>(1);
  private readonly flushedEvents = new Subject<void>();
  private failure: unknown = undefined;
  /** The pipe delivers what arrives (it was resumed and not paused since). */
  private reading = false;
  /** A transport said its pipe is ready to read ({@link beginReading}). */
  private begun = false;
  /** The user asked to stop reading (inbound backpressure). */
  private paused = false;
  private outputEnded = false;
  private closing = false;
  private closed = false;
  private closeTimer: Subscription | null = null;
  /** Messages given to the sink that were never accepted (after the end, a failure or an overflow). */
  private late = 0;

  constructor(
    protected readonly options: ResolvedConnectionOptions<In, Out>,
    readonly localAddress: SocketAddress | undefined,
    readonly remoteAddress: SocketAddress | undefined,
  ) {
    this.decoder = options.inFraming.createDecoder();
    this.timers = this.createTimers();
    this.messages$ = this.fanOut.messages$;
    this.writable$ = this.writableState.pipe(distinctUntilChanged());
    this.closed$ = this.closedState.asObservable();
    this.flushed$ = this.flushedEvents.asObservable();
    this.sink = sinkSubject<Out>({
      next: (message: Out) => this.send(message),
      error: (error: unknown) => this.destroy(error),
      complete: () => this.endOutput(),
    });
  }

  // What a transport implements.
  /** Queues one encoded message; false if refused because the queue is full. May throw a typed error. */
  protected abstract pipeWrite(payload: Uint8Array): boolean;
  /** Sends what is queued, then ends the writing side. */
  protected abstract pipeEnd(): void;
  /** Closes the pipe at once; `pipeClosed` follows. */
  protected abstract pipeDestroy(): void;
  /** Starts (or restarts) delivering what arrives. */
  protected abstract pipeResume(): void;
  /** Stops delivering what arrives (the peer is slowed down by the transport's own flow control). */
  protected abstract pipePause(): void;
  /** Stops output for good and says what was never written. */
  protected abstract pipeStop(): PipeUnsent;
  abstract readonly queuedBytes: number;
  abstract readonly queuedMessages: number;
  abstract readonly writable: boolean;

  get lateMessages(): number {
    return this.late;
  }

  /**
   * Starts the stall and idle clocks afresh, for a transport whose connection begins after it was
   * created (a test connection is accepted when its server emits it).
   */
  protected restartClocks(): void {
    this.timers.stop();
    this.timers = this.createTimers();
    if (this.paused || (this.begun && !this.reading)) this.timers.pause();
  }

  /** The transport's pipe is ready: reading (ahead) may start. Also called when `messages$` is subscribed. */
  protected beginReading(): void {
    this.begun = true;
    this.updateReading();
  }

  private createTimers(): ConnectionTimers {
    return new ConnectionTimers(
      this.options.scheduler,
      this.options.stallTimeout,
      this.options.idleTimeout,
      () => this.decoder.bufferedBytes,
      (error) => this.fail(error),
    );
  }

  /** The error the connection failed with, if it did (for transports that report it their own way). */
  protected get failedWith(): unknown {
    return this.failure;
  }

  /** True once the pipe has closed and every stream has settled. */
  protected get isClosed(): boolean {
    return this.closed;
  }

  get traffic(): ConnectionTraffic {
    return this.counters;
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
    this.begun = true;
    this.resume();
    this.updateReading();
    // A transport may have closed at once (both sides ended): then there is nothing to time out.
    if (!this.closed) this.closeTimer = this.options.scheduler.schedule(() => this.destroy(), this.options.closeTimeout);
  }

  destroy(error?: unknown): void {
    if (error !== undefined) this.fail(error);
    else if (!this.closed) this.pipeDestroy();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.updateReading();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.updateReading();
  }

  /**
   * Reads unless the user paused, or nobody is subscribed and `maxHeldBytes` are held (then TCP
   * slows the peer down); once closing, reads on regardless, to see the peer's end. The stall
   * and idle clocks stop while it does not read: a peer we stopped reading is not stalled.
   */
  private updateReading(): void {
    if (this.closed) return;
    const read =
      this.begun && (this.closing || (!this.paused && (this.fanOut.observed || this.fanOut.heldBytes < this.options.maxHeldBytes)));
    if (read || !(this.paused || this.begun)) this.timers.resume();
    else this.timers.pause();
    if (read === this.reading) return;
    this.reading = read;
    if (read) this.pipeResume();
    else this.pipePause();
  }

  /** Encodes and queues one message; true if it was accepted. */
  private send(message: Out): boolean {
    if (this.outputEnded || this.closed || this.failure !== undefined) {
      this.late++;
      return false;
    }
    let accepted: boolean;
    let payload: Uint8Array | undefined;
    try {
      payload = encodeValue(this.options.outCodec, message);
      accepted = this.pipeWrite(payload);
    } catch (error) {
      this.late++;
      this.fail(error);
      return false;
    }
    if (!accepted) {
      this.late++;
      return false;
    }
    this.counters.messagesOut++;
    this.counters.bytesOut += payload.byteLength;
    this.timers.activity();
    return true;
  }

  private endOutput(): void {
    if (this.outputEnded || this.closed) return;
    this.outputEnded = true;
    this.pipeEnd();
  }

  // What a transport calls.
  /** Ends the connection with `error`: delivered on `messages$` and `closed$`, pipe destroyed. */
  protected fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
    this.fanOut.finish({ error });
    if (!this.closed) this.pipeDestroy();
  }

  /** Bytes arrived: decoded into frames and messages, delivered in order. */
  protected received(chunk: Uint8Array): void {
    if (this.fanOut.ended) return;
    this.counters.bytesIn += chunk.byteLength;
    this.timers.activity();
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail(error);
      return;
    }
    for (const frame of frames) {
      if (!this.deliver(frame)) return;
    }
    this.timers.afterChunk(frames.length > 0, this.decoder.bufferedBytes);
    if (frames.length > 0 && !this.fanOut.observed) this.updateReading();
  }

  /** A whole frame arrived (transports with their own framing, such as WebSocket). */
  protected receivedFrame(frame: Uint8Array): void {
    if (this.fanOut.ended) return;
    this.counters.bytesIn += frame.byteLength;
    this.timers.activity();
    if (this.deliver(frame) && !this.fanOut.observed) this.updateReading();
  }

  /** The peer ended its side cleanly. */
  protected inputEnded(): void {
    if (this.fanOut.ended) return;
    try {
      for (const frame of this.decoder.end()) {
        const value = decodeFrame(this.options.inCodec, frame);
        this.counters.messagesIn++;
        this.fanOut.emit(value, frame.byteLength + HELD_MESSAGE_OVERHEAD);
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    this.fanOut.finish('complete');
    if (!this.options.allowHalfOpen) this.endOutput();
  }

  protected writableChanged(ready: boolean): void {
    this.writableState.next(ready);
  }

  /** Every byte accepted so far reached the kernel. */
  protected allFlushed(): void {
    if (this.flushedEvents.observed) this.flushedEvents.next();
  }

  /**
   * The pipe is gone: settles every stream and reports what was never written, with the close
   * `code` and `reason` of transports that have them (WebSocket).
   */
  protected pipeClosed(details?: { readonly code: number; readonly reason: string }): void {
    if (this.closed) return;
    this.closed = true;
    const unsent = this.pipeStop();
    this.timers.stop();
    this.closeTimer?.unsubscribe();
    this.fanOut.finish(this.failure === undefined ? 'complete' : { error: this.failure });
    this.writableState.complete();
    this.flushedEvents.complete();
    this.closedState.next({
      error: this.failure,
      unsentBytes: unsent.bytes,
      unsentMessages: unsent.messages + this.late,
      ...details,
    });
    this.closedState.complete();
  }

  /** Decodes and delivers one frame; false once the stream has ended. */
  private deliver(frame: Uint8Array): boolean {
    let value: In;
    try {
      value = decodeFrame(this.options.inCodec, frame);
    } catch (error) {
      this.fail(error);
      return false;
    }
    this.counters.messagesIn++;
    // Closing with nobody subscribed: past the bound, what still arrives is read only to see the end.
    if (this.closing && !this.fanOut.observed && this.fanOut.heldBytes >= this.options.maxHeldBytes) return true;
    this.fanOut.emit(value, frame.byteLength + HELD_MESSAGE_OVERHEAD);
    return !this.fanOut.ended;
  }
}
