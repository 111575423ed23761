import { ReplaySubject, type Observable, type Subscription } from 'rxjs';
import { decodeFrame } from '../codec/codec-operators';
import { ConnectionCore, type PipeUnsent, type AddressSource } from '../connection/connection-core';
import type { ResolvedConnectionOptions } from '../connection/connection-options';
import type { FrameDecoder } from '../framing/framing';
import { joinBytes } from './chunking';
import type { TestConnection } from './test-connection';

/** What the peer sent: a chunk of bytes, or its end of stream. */
type Arrival = Uint8Array | 'end';

const NOTHING_UNSENT: PipeUnsent = { bytes: 0, messages: 0 };

/**
 * A {@link TestConnection}: the one connection lifecycle ({@link ConnectionCore}: read ahead up to
 * `maxHeldBytes` until read, half-close, graceful close with a close timer, stall and idle timers, late messages) over
 * Observables instead of a socket. Bytes go through the real framing decoder and codec,
 * synchronously, so every event happens in the virtual frame that caused it; what it sends is
 * handed over at once (nothing queues) and decoded again, as the peer would, for `outgoing$`.
 */
export class MessageConnection<In, Out> extends ConnectionCore<In, Out> implements TestConnection<In, Out> {
  readonly outgoing$: Observable<Out>;
  readonly outgoingBytes$: Observable<Uint8Array>;
  /** Nothing queues: each message is handed over in the frame it is sent. */
  readonly queuedBytes = 0;
  readonly queuedMessages = 0;
  /** Always writable: nothing queues. */
  readonly writable = true;

  /** Decodes what this end sends, as the peer would. */
  private readonly peerDecoder: FrameDecoder;
  private readonly outgoing = new ReplaySubject<Out>();
  private readonly outgoingBytes = new ReplaySubject<Uint8Array>();
  /** Arrivals not read yet (nobody subscribed to `messages$`, or paused). */
  private readonly held: Arrival[] = [];
  private source: Subscription | null = null;
  private opened = false;
  private delivering = false;
  private draining = false;
  private inputDone = false;
  private outputDone = false;

  constructor(
    private readonly incoming: Observable<Uint8Array>,
    options: ResolvedConnectionOptions<In, Out>,
    addresses: AddressSource,
  ) {
    super(options, addresses);
    this.peerDecoder = options.outFraming.createDecoder();
    this.outgoing$ = this.outgoing.asObservable();
    this.outgoingBytes$ = this.outgoingBytes.asObservable();
  }

  /** Subscribes to what the peer sends (once): from then on its arrivals are held until read. */
  open(): void {
    if (this.opened || this.isClosed) return;
    this.opened = true;
    this.restartClocks();
    const source = this.incoming.subscribe({
      next: (chunk) => this.arrive(chunk),
      // Like a socket's 'error' event: delivered at once, read or not.
      error: (error: unknown) => this.fail(error),
      complete: () => this.arrive('end'),
    });
    if (this.isClosed) source.unsubscribe();
    else {
      this.source = source;
      // Read ahead from now on, as a socket connection does (held for `messages$`, bounded).
      this.beginReading();
    }
  }

  protected pipeWrite(payload: Uint8Array): boolean {
    this.open();
    const bytes = joinBytes(this.options.outFraming.encodeFrame(payload));
    const values = this.peerDecoder.push(bytes).map((frame) => decodeFrame(this.options.outCodec, frame));
    this.outgoingBytes.next(bytes);
    for (const value of values) this.outgoing.next(value);
    return true;
  }

  protected pipeEnd(): void {
    this.open();
    this.outputDone = true;
    this.outgoingBytes.complete();
    this.outgoing.complete();
    if (this.inputDone) this.pipeClosed();
  }

  protected pipeDestroy(): void {
    this.pipeClosed();
  }

  protected pipeResume(): void {
    this.delivering = true;
    this.open();
    this.drain();
  }

  protected pipePause(): void {
    this.delivering = false;
  }

  protected pipeStop(): PipeUnsent {
    this.source?.unsubscribe();
    this.held.length = 0;
    if (!this.outputDone) {
      this.outputDone = true;
      const failure = this.failedWith;
      if (failure === undefined) {
        this.outgoingBytes.complete();
        this.outgoing.complete();
      } else {
        this.outgoingBytes.error(failure);
        this.outgoing.error(failure);
      }
    }
    return NOTHING_UNSENT;
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
      while (this.delivering && !this.isClosed && this.held.length > 0) {
        const arrival = this.held.shift() as Arrival;
        if (arrival !== 'end') {
          this.received(arrival);
          continue;
        }
        this.inputDone = true;
        this.inputEnded();
        if (this.outputDone) this.pipeClosed();
      }
    } finally {
      this.draining = false;
    }
  }
}
