import { BehaviorSubject, distinctUntilChanged, Observable, ReplaySubject, Subject, type Subscription } from 'rxjs';
import { decodeFrame, encodeText, encodeValue } from '../codec/codec-operators';
import type { FrameDecoder } from '../framing/framing';
import type { CloseInfo, Connection, ConnectionSink, SocketAddress } from './connection';
import type { ResolvedConnectionOptions } from './connection-options';
import { ConnectionTimers, type TimerOwner } from './connection-timers';
import { MessageFanOut, type FanOutOwner } from './message-fan-out';
import { SinkSubject, type SinkOwner } from './sink-subject';
import type { SharedMessage } from './shared-message';
import type { RxSocketError } from '../errors';
import { TrafficCounters, type ConnectionTraffic } from '../stats/traffic';

/**
 * Bytes a held message counts for beyond its frame, so that empty frames are bounded by
 * `maxHeldBytes` too (the held entry and its size cost about that much).
 */
const HELD_MESSAGE_OVERHEAD = 8;

/** For {@link ConnectionCore.pipeWriteText}'s general form: one encoder for every connection. */
const textEncoder = new TextEncoder();

/** What a transport's output side says it never wrote, when the transport has closed. */
export interface PipeUnsent {
  readonly bytes: number;
  readonly messages: number;
}

/** A connection's two addresses: this end's, then the peer's. */
export type Addresses = readonly [SocketAddress | undefined, SocketAddress | undefined];

/**
 * Where a connection gets its addresses: the pair itself, a function read on first use, or `null`
 * for the transport's own {@link ConnectionCore.readAddresses}, also read on first use (a server's
 * connections that nobody asks about never build them: no objects, no system call).
 */
export type AddressSource = Addresses | (() => Addresses) | null;

/**
 * The lifecycle of one connection, written once for every transport (TCP, Unix, TLS, any
 * `Duplex`, WebSocket): reading ahead up to `maxHeldBytes` until `messages$` is subscribed, inbound backpressure,
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
export abstract class ConnectionCore<In, Out> implements Connection<In, Out>, FanOutOwner, TimerOwner, SinkOwner<Out> {
  /** The sink, as the class that can show watchers a message accepted another way (`broadcast`). */
  private readonly sinkSubject: SinkSubject<Out>;
  private readonly counters = new TrafficCounters();

  private readonly fanOut = new MessageFanOut<In>(this);
  /** Decoder of incoming bytes; transports that receive whole frames leave it unused. */
  protected readonly decoder: FrameDecoder;
  private timers: ConnectionTimers;
  // The subjects behind writable$, flushed$ and closed$ are made when first asked for: a server's
  // connections that nobody watches that way hold none of them.
  private writableState: BehaviorSubject<boolean> | null = null;
  private writableChanges: Observable<boolean> | null = null;
  private flushedEvents: Subject<void> | null = null;
  private closedState: ReplaySubject<CloseInfo> | null = null;
  /** How the connection ended, once it has. */
  private closeInfo: CloseInfo | null = null;
  /** Told once the connection has closed (the server's bookkeeping; no subscription needed). */
  private closedHook: ((connection: ConnectionCore<In, Out>) => void) | null = null;
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

  /** The addresses, or how to read them (replaced by what it returns on first use). */
  private addresses: AddressSource;

  constructor(
    protected readonly options: ResolvedConnectionOptions<In, Out>,
    addresses: AddressSource,
  ) {
    this.addresses = addresses;
    this.decoder = options.inFraming.createDecoder();
    this.timers = this.createTimers();
    this.sinkSubject = new SinkSubject<Out>(this);
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

  // Getters, not fields: the objects are held once each, not twice per connection.
  get messages$(): Observable<In> {
    return this.fanOut;
  }

  get sink(): ConnectionSink<Out> {
    return this.sinkSubject;
  }

  get writable$(): Observable<boolean> {
    if (this.writableChanges === null) {
      const state = (this.writableState = new BehaviorSubject(this.writable));
      if (this.closed) state.complete();
      this.writableChanges = state.pipe(distinctUntilChanged());
    }
    return this.writableChanges;
  }

  get flushed$(): Observable<void> {
    if (this.flushedEvents === null) {
      this.flushedEvents = new Subject<void>();
      if (this.closed) this.flushedEvents.complete();
    }
    return this.flushedEvents.asObservable();
  }

  get closed$(): Observable<CloseInfo> {
    if (this.closedState === null) {
      this.closedState = new ReplaySubject<CloseInfo>(1);
      if (this.closeInfo !== null) {
        this.closedState.next(this.closeInfo);
        this.closedState.complete();
      }
    }
    return this.closedState.asObservable();
  }

  /**
   * Internal: `hook` is called with the connection once it has closed, just before `closed$`
   * emits (at once if it already has). One hook per connection; a server uses it for its
   * bookkeeping (one function for all its connections).
   */
  whenClosed(hook: (connection: this) => void): void {
    if (this.closeInfo !== null) hook(this);
    else this.closedHook = hook as (connection: ConnectionCore<In, Out>) => void;
  }

  get localAddress(): SocketAddress | undefined {
    return this.resolvedAddresses()[0];
  }

  get remoteAddress(): SocketAddress | undefined {
    return this.resolvedAddresses()[1];
  }

  /**
   * Reads the addresses if nobody has yet. Besides on first use, this runs as the connection
   * begins to end (close, destroy, failure, the peer's end), while the socket still knows them.
   */
  private resolvedAddresses(): Addresses {
    const addresses = this.addresses;
    if (addresses !== null && typeof addresses !== 'function') return addresses;
    const read = addresses === null ? this.readAddresses() : addresses();
    this.addresses = read;
    return read;
  }

  /** The addresses, read from the transport, for a connection made with `null` as its {@link AddressSource}. */
  protected readAddresses(): Addresses {
    return [undefined, undefined];
  }

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
      this,
    );
  }

  /** @internal For the timers: bytes of a partial frame held now. */
  heldBytes(): number {
    return this.decoder.bufferedBytes;
  }

  /** @internal For the timers: a stall or idle timeout fired. */
  timedOut(error: RxSocketError): void {
    this.fail(error);
  }

  /** @internal For `messages$`: a subscriber arrived (and took what was held). */
  firstSubscribed(): void {
    this.beginReading();
  }

  /** @internal For `messages$`: the last subscriber left before the end (reading ahead may go on, up to the bound). */
  lastUnsubscribed(): void {
    this.updateReading();
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
    this.resolvedAddresses();
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
    this.resolvedAddresses();
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

  /** @internal For the sink's `error`: destroys the connection with the error. */
  sinkError(error: unknown): void {
    this.destroy(error);
  }

  /** @internal For the sink's `complete`: ends the output once everything accepted is sent. */
  sinkComplete(): void {
    this.endOutput();
  }

  /** @internal For the sink's `next`: encodes and queues one message; true if it was accepted. */
  sinkNext(message: Out): boolean {
    if (this.outputEnded || this.closed || this.failure !== undefined) {
      this.late++;
      return false;
    }
    let bytes: number;
    try {
      const textOf = this.options.outTextPayload;
      const text = textOf !== undefined && this.takesTextPayloads() ? encodeText(textOf, message) : undefined;
      if (text !== undefined) {
        bytes = this.pipeWriteText(text);
      } else {
        const payload = encodeValue(this.options.outCodec, message);
        bytes = this.pipeWrite(payload) ? payload.byteLength : -1;
      }
    } catch (error) {
      this.late++;
      this.fail(error);
      return false;
    }
    return this.sent(bytes);
  }

  /**
   * True for a transport whose {@link pipeWriteText} writes text straight into its frames: then
   * `sinkNext` gives it the payload as text when the out codec has a text form (json, utf8).
   */
  protected takesTextPayloads(): boolean {
    return false;
  }

  /**
   * Queues one payload given as text (its UTF-8 bytes); returns its size in bytes, or -1 if it is
   * refused because the queue is full. Used when {@link takesTextPayloads}.
   */
  protected pipeWriteText(text: string): number {
    // Only for a transport that asks for text and does not override this (no Buffer: browsers share this class).
    const payload = textEncoder.encode(text);
    return this.pipeWrite(payload) ? payload.byteLength : -1;
  }

  /**
   * @internal For `broadcast`: sends a message encoded (and framed) once for many connections,
   * counted exactly as `sink.next(shared.message)` would count it, and failing the same way.
   */
  sendShared(shared: SharedMessage<Out>): void {
    if (this.outputEnded || this.closed || this.failure !== undefined) {
      this.late++;
      return;
    }
    let accepted: boolean;
    let payload: Uint8Array | undefined;
    try {
      payload = shared.payload(this.options.outCodec);
      accepted = this.pipeWriteShared(shared, payload);
    } catch (error) {
      this.late++;
      this.fail(error);
      return;
    }
    // Watchers of the sink see a broadcast message as they see one given to `sink.next`.
    if (this.sent(accepted ? payload.byteLength : -1)) this.sinkSubject.accepted(shared.message);
  }

  /** Counts a message of `bytes` payload bytes as sent, or as late when it was refused (-1). */
  private sent(bytes: number): boolean {
    if (bytes < 0) {
      this.late++;
      return false;
    }
    this.counters.messagesOut++;
    this.counters.bytesOut += bytes;
    this.timers.activity();
    return true;
  }

  /**
   * Queues a shared message whose payload is `payload`. Transports that frame with the
   * connection's `outFraming` take the shared frame; the others (WebSocket) frame it themselves.
   */
  protected pipeWriteShared(_shared: SharedMessage<Out>, payload: Uint8Array): boolean {
    return this.pipeWrite(payload);
  }

  private endOutput(): void {
    if (this.outputEnded || this.closed) return;
    this.outputEnded = true;
    this.pipeEnd();
  }

  // What a transport calls.
  /** Ends the connection with `error`: delivered on `messages$` and `closed$`, pipe destroyed. */
  protected fail(error: unknown): void {
    this.resolvedAddresses();
    if (this.failure === undefined) this.failure = error;
    this.fanOut.finish({ error });
    if (!this.closed) this.pipeDestroy();
  }

  /** Bytes arrived: decoded into frames and messages, each delivered as the decoder cuts it. */
  protected received(chunk: Uint8Array): void {
    if (this.fanOut.ended) return;
    const counters = this.counters;
    counters.bytesIn += chunk.byteLength;
    this.timers.activity();
    const before = counters.messagesIn;
    try {
      this.decoder.feed(chunk, this.onFrame);
    } catch (error) {
      if (!this.fanOut.ended) this.fail(error);
      return;
    }
    if (this.fanOut.ended) return;
    const delivered = counters.messagesIn !== before;
    this.timers.afterChunk(delivered, this.decoder.bufferedBytes);
    if (delivered && !this.fanOut.observed) this.updateReading();
  }

  /** The decoder's callback: frames cut after the stream ended (in the same chunk) are dropped. */
  private readonly onFrame = (frame: Uint8Array): void => {
    if (!this.fanOut.ended) this.deliver(frame);
  };

  /** A whole frame arrived (transports with their own framing, such as WebSocket). */
  protected receivedFrame(frame: Uint8Array): void {
    if (this.fanOut.ended) return;
    this.counters.bytesIn += frame.byteLength;
    this.timers.activity();
    this.deliver(frame);
    if (!this.fanOut.observed) this.updateReading();
  }

  /** The peer ended its side cleanly. */
  protected inputEnded(): void {
    this.resolvedAddresses();
    if (this.fanOut.ended) return;
    try {
      this.decoder.finish(this.onFrame);
    } catch (error) {
      this.fail(error);
      return;
    }
    // A frame the end completed may have failed to decode: the stream has ended with that error.
    if (this.fanOut.ended) return;
    this.fanOut.finish('complete');
    if (!this.options.allowHalfOpen) this.endOutput();
  }

  protected writableChanged(ready: boolean): void {
    this.writableState?.next(ready);
  }

  /** Every byte accepted so far reached the kernel. */
  protected allFlushed(): void {
    if (this.flushedEvents?.observed === true) this.flushedEvents.next();
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
    this.writableState?.complete();
    this.flushedEvents?.complete();
    this.sinkSubject.ended();
    const info: CloseInfo = {
      error: this.failure,
      unsentBytes: unsent.bytes,
      unsentMessages: unsent.messages + this.late,
      ...details,
    };
    this.closeInfo = info;
    const hook = this.closedHook;
    this.closedHook = null;
    hook?.(this);
    this.closedState?.next(info);
    this.closedState?.complete();
  }

  /** Decodes and delivers one frame. */
  private deliver(frame: Uint8Array): void {
    let value: In;
    try {
      value = decodeFrame(this.options.inCodec, frame);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.counters.messagesIn++;
    // Closing with nobody subscribed: past the bound, what still arrives is read only to see the end.
    if (this.closing && !this.fanOut.observed && this.fanOut.heldBytes >= this.options.maxHeldBytes) return;
    this.fanOut.emit(value, frame.byteLength + HELD_MESSAGE_OVERHEAD);
  }
}
