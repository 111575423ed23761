import type { RawData, WebSocket } from 'ws';
import type { SocketAddress } from '../connection/connection';
import { ConnectionCore, type PipeUnsent } from '../connection/connection-core';
import { QueueOverflowError, WebSocketClosedError } from '../errors';
import { NumberQueue } from '../internal/number-queue';
import { NORMAL_CLOSE_CODES, sendableCloseCode } from './close-codes';
import { PingHeartbeat } from './ping-heartbeat';
import type { ResolvedWebSocketOptions } from './websocket-options';

/**
 * A {@link Connection} over a `ws` WebSocket: the shared {@link ConnectionCore} lifecycle, adapted
 * to messages. Each WebSocket message is one frame (no framing operator). Each outgoing message is
 * one `ws.send`, and counts as queued until its send callback confirms it reached the kernel; the
 * bound `maxQueuedBytes` is checked at every message. `pause()` pauses the socket itself, so a fast
 * peer is slowed down by TCP. Every listener is a named method, removed by reference on close.
 */
export class WebSocketConnection<In, Out> extends ConnectionCore<In, Out> {
  /** Payload size of each message sent and not yet confirmed, oldest first. */
  private readonly sizes = new NumberQueue();
  private queued = 0;
  private ready = true;
  private stopped = false;
  private delivering = false;
  private destroyedHere = false;
  /** Messages the socket delivered after it was paused (the rest of a chunk, or at close). */
  private held: Buffer[] = [];
  private readonly heartbeat: PingHeartbeat | null;
  private readonly highWater: number;
  /** Code and reason of the closing handshake this end starts. */
  private closeWith: { code: number; reason: string } = { code: 1000, reason: '' };

  constructor(
    private readonly ws: WebSocket,
    private readonly settings: ResolvedWebSocketOptions<In, Out>,
    localAddress: SocketAddress | undefined,
    remoteAddress: SocketAddress | undefined,
  ) {
    super(settings.connection, localAddress, remoteAddress);
    this.highWater = settings.connection.maxQueuedBytes / 2;
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
  }

  get queuedBytes(): number {
    return this.queued;
  }

  get queuedMessages(): number {
    return this.sizes.length;
  }

  get writable(): boolean {
    return this.ready;
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
    const size = payload.byteLength;
    // The frame limit, checked before anything is queued (throws FrameTooLargeError).
    this.settings.connection.outFraming.encodeFrame(payload);
    if (this.queued > 0 && this.queued + size > this.settings.connection.maxQueuedBytes) {
      this.fail(new QueueOverflowError(this.queued + size, this.settings.connection.maxQueuedBytes));
      return false;
    }
    this.queued += size;
    this.sizes.push(size);
    this.ws.send(payload, { binary: !this.settings.text }, this.onSent);
    this.updateWritable();
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
    this.deliverHeld();
    this.ws.resume();
    this.heartbeat?.resume();
  }

  protected pipePause(): void {
    this.delivering = false;
    this.ws.pause();
    this.heartbeat?.suspend();
  }

  protected pipeStop(): PipeUnsent {
    const unsent = { bytes: this.queued, messages: this.sizes.length };
    if (!this.stopped) {
      this.stopped = true;
      this.heartbeat?.stop();
      this.sizes.clear(true);
      this.held = [];
    }
    return unsent;
  }

  private deliverHeld(): void {
    const held = this.held;
    this.held = [];
    for (const message of held) this.receivedFrame(message);
  }

  private updateWritable(): void {
    const ready = this.queued <= this.highWater && this.ws.bufferedAmount <= this.highWater;
    if (ready !== this.ready) {
      this.ready = ready;
      this.writableChanged(ready);
    }
  }

  private readonly sendPing = (): void => {
    this.ws.ping();
  };

  private readonly onSent = (error?: Error | null): void => {
    // After an error every later send fails too: what is still counted was never written.
    if (error != null || this.stopped) return;
    this.queued -= this.sizes.shift() ?? 0;
    if (this.queued === 0) this.allFlushed();
    this.updateWritable();
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
