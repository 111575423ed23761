import type { RawData, WebSocket } from 'ws';
import { ConnectionCore, type PipeUnsent, type AddressSource } from '../connection/connection-core';
import { WebSocketClosedError } from '../errors';
import { NORMAL_CLOSE_CODES, sendableCloseCode } from './close-codes';
import { PingHeartbeat } from './ping-heartbeat';
import { SendLedger } from './send-ledger';
import type { ResolvedWebSocketOptions } from './websocket-options';

/**
 * A {@link Connection} over a `ws` WebSocket: the shared {@link ConnectionCore} lifecycle, adapted
 * to messages. Each WebSocket message is one frame (no framing operator). Each outgoing message is
 * one `ws.send`, and counts as queued until its send callback confirms it reached the kernel; the
 * bound `maxQueuedBytes` is checked at every message. `pause()` pauses the socket itself, so a fast
 * peer is slowed down by TCP. Every listener is a named method, removed by reference on close.
 */
export class WebSocketConnection<In, Out> extends ConnectionCore<In, Out> {
  private readonly ledger: SendLedger;
  private stopped = false;
  private delivering = false;
  private destroyedHere = false;
  /** Messages the socket delivered after it was paused (the rest of a chunk, or at close). */
  private held: Buffer[] = [];
  private readonly heartbeat: PingHeartbeat | null;
  /** Code and reason of the closing handshake this end starts. */
  private closeWith: { code: number; reason: string } = { code: 1000, reason: '' };

  constructor(
    private readonly ws: WebSocket,
    private readonly settings: ResolvedWebSocketOptions<In, Out>,
    addresses: AddressSource,
  ) {
    super(settings.connection, addresses);
    this.ledger = new SendLedger(settings.connection.maxQueuedBytes, () => ws.bufferedAmount, {
      writable: (ready) => this.writableChanged(ready),
      flushed: () => this.allFlushed(),
    });
    const ping = settings.ping;
    this.heartbeat =
      ping === null
        ? null
        : new PingHeartbeat(settings.connection.scheduler, ping.interval, ping.timeout, this.sendPing, (error) => this.fail(error));
    ws.binaryType = 'nodebuffer';
    ws.pause();
    ws.on('message', this.onMessage);
    ws.on('pong', this.onPong);
    ws.on('error', this.onError);
    ws.on('close', this.onClose);
    if (ws.readyState === ws.CLOSED) queueMicrotask(() => this.onClose(1006, Buffer.alloc(0)));
    else this.beginReading();
  }

  get queuedBytes(): number {
    return this.ledger.queuedBytes;
  }

  get queuedMessages(): number {
    return this.ledger.queuedMessages;
  }

  get writable(): boolean {
    return this.ledger.writable;
  }

  /**
   * Closes gracefully with close code 1000; a `reason` that is a WebSocketClosedError (4000-4999,
   * or 1001, 1008, 1011...) sends its code and reason text instead.
   */
  override close(reason?: unknown): void {
    if (reason instanceof WebSocketClosedError && sendableCloseCode(reason.closeCode)) this.closeWith = { code: reason.closeCode, reason: reason.reason };
    super.close(reason);
  }

  protected pipeWrite(payload: Uint8Array): boolean {
    // The frame limit, checked before anything is queued (throws FrameTooLargeError).
    this.settings.connection.outFraming.encodeFrame(payload);
    const overflow = this.ledger.accept(payload.byteLength);
    if (overflow !== null) {
      this.fail(overflow);
      return false;
    }
    this.ws.send(payload, { binary: !this.settings.text }, this.onSent);
    return true;
  }

  protected pipeEnd(): void {
    this.ws.close(this.closeWith.code, this.closeWith.reason);
  }

  protected pipeDestroy(): void {
    this.destroyedHere = true;
    this.ws.terminate();
  }

  protected pipeResume(): void {
    this.delivering = true;
    this.ws.resume();
    this.heartbeat?.resume();
    this.deliverHeld();
  }

  protected pipePause(): void {
    this.delivering = false;
    this.ws.pause();
    this.heartbeat?.suspend();
  }

  protected pipeStop(): PipeUnsent {
    this.stopped = true;
    this.heartbeat?.stop();
    this.held = [];
    return this.ledger.stop();
  }

  /** Delivers what arrived while not delivering, oldest first, until delivery pauses again (the rest stays held). */
  private deliverHeld(): void {
    const held = this.held;
    let next = 0;
    while (next < held.length && this.delivering) this.receivedFrame(held[next++] as Buffer);
    held.splice(0, next);
  }

  private readonly sendPing = (): void => {
    this.ws.ping();
  };

  private readonly onSent = (error?: Error | null): void => {
    // After an error every later send fails too: what is still counted was never written.
    if (error == null && !this.stopped) this.ledger.sentOne();
  };

  private readonly onMessage = (data: RawData): void => {
    const message = data as Buffer;
    if (this.delivering) this.receivedFrame(message);
    else this.held.push(message);
  };

  private readonly onPong = (): void => this.heartbeat?.pong();

  private readonly onError = (error: Error): void => this.fail(error);

  private readonly onClose = (code: number, reason: Buffer): void => {
    this.ws.removeListener('message', this.onMessage);
    this.ws.removeListener('pong', this.onPong);
    this.ws.removeListener('close', this.onClose);
    // The 'error' listener stays: a late error from a closed socket must never go unhandled.
    const text = reason.toString('utf8');
    // Messages the socket still read at close come before the end.
    if (this.delivering) this.deliverHeld();
    if (NORMAL_CLOSE_CODES.has(code)) this.inputEnded();
    else if (!this.destroyedHere) this.fail(new WebSocketClosedError(code, text));
    this.pipeClosed({ code, reason: text });
  };
}
