import type { Subscription } from 'rxjs';
import { ConnectionCore, type PipeUnsent } from '../connection/connection-core';
import { QueueOverflowError, WebSocketClosedError } from '../errors';
import { NumberQueue } from '../internal/number-queue';
import { NORMAL_CLOSE_CODES, sendableCloseCode } from '../websocket/close-codes';
import type { ResolvedWebSocketOptions } from '../websocket/websocket-options';
import type { WebSocketLike } from './web-socket-api';

/** How often `bufferedAmount` is read while messages are queued (the browser has no drain event). */
const DRAIN_POLL_MS = 10;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A {@link Connection} over the browser's `WebSocket`: the shared {@link ConnectionCore} lifecycle
 * adapted to the WHATWG API. Outgoing bytes count as queued until the browser's `bufferedAmount`
 * says they left (read at every send, and polled while any wait); `maxQueuedBytes` is checked at
 * every message. The browser cannot stop reading a WebSocket, so `pause()` holds arriving
 * messages in memory until `resume()`. Browsers answer the server's pings by themselves.
 */
export class BrowserWebSocketConnection<In, Out> extends ConnectionCore<In, Out> {
  /** End offset (in bytes accepted so far) of each message not yet sent. */
  private readonly ends = new NumberQueue();
  private accepted = 0;
  private sent = 0;
  private ready = true;
  private stopped = false;
  private delivering = false;
  private destroyedHere = false;
  private held: Uint8Array[] = [];
  private poll: Subscription | null = null;
  private closeWith = { code: 1000, reason: '' };
  /** The close event, once it came. */
  private peerClose: { readonly code: number; readonly reason: string } | null = null;
  private readonly highWater: number;

  constructor(
    private readonly ws: WebSocketLike,
    private readonly settings: ResolvedWebSocketOptions<In, Out>,
  ) {
    super(settings.connection, undefined, undefined);
    this.highWater = settings.connection.maxQueuedBytes / 2;
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('message', this.onMessage);
    ws.addEventListener('close', this.onClose);
  }

  get queuedBytes(): number {
    return this.accepted - this.sent;
  }

  get queuedMessages(): number {
    return this.ends.length;
  }

  get writable(): boolean {
    return this.ready;
  }

  /** Closes gracefully with code 1000, or the code and reason of a WebSocketClosedError `reason`. */
  override close(reason?: unknown): void {
    if (reason instanceof WebSocketClosedError && sendableCloseCode(reason.closeCode)) {
      this.closeWith = { code: reason.closeCode, reason: reason.reason };
    }
    super.close(reason);
  }

  protected pipeWrite(payload: Uint8Array): boolean {
    this.settings.connection.outFraming.encodeFrame(payload);
    const queued = this.accepted - this.sent;
    const max = this.settings.connection.maxQueuedBytes;
    if (queued > 0 && queued + payload.byteLength > max) {
      this.fail(new QueueOverflowError(queued + payload.byteLength, max));
      return false;
    }
    this.ws.send(this.settings.text ? decoder.decode(payload) : payload);
    this.accepted += payload.byteLength;
    this.ends.push(this.accepted);
    this.refresh();
    return true;
  }

  protected pipeEnd(): void {
    // Browsers may only send 1000 and 3000-4999.
    const { code, reason } = this.closeWith;
    this.ws.close(code === 1000 || code >= 3000 ? code : 1000, reason);
  }

  protected pipeDestroy(): void {
    // A page cannot drop a socket at once: it starts the close and lets the connection go now.
    this.destroyedHere = true;
    if (this.peerClose === null) this.ws.close();
    this.finish(this.peerClose?.code ?? 1006, this.peerClose?.reason ?? '');
  }

  protected pipeResume(): void {
    this.delivering = true;
    const held = this.held;
    this.held = [];
    for (const message of held) this.receivedFrame(message);
  }

  protected pipePause(): void {
    this.delivering = false;
  }

  protected pipeStop(): PipeUnsent {
    const unsent = { bytes: this.accepted - this.sent, messages: this.ends.length };
    this.stopped = true;
    this.poll?.unsubscribe();
    this.held = [];
    return unsent;
  }

  private readonly onPoll = (): void => {
    this.poll = null;
    this.refresh();
  };

  /** Reads `bufferedAmount`: what left is sent; keeps polling while anything waits. */
  private refresh(): void {
    if (this.stopped) return;
    this.sent = Math.max(this.sent, this.accepted - this.ws.bufferedAmount);
    while (this.ends.length > 0 && (this.ends.peek() as number) <= this.sent) this.ends.shift();
    const queued = this.accepted - this.sent;
    const ready = queued <= this.highWater;
    if (ready !== this.ready) {
      this.ready = ready;
      this.writableChanged(ready);
    }
    if (queued === 0) this.allFlushed();
    else this.poll ??= this.settings.connection.scheduler.schedule(this.onPoll, DRAIN_POLL_MS);
  }

  private readonly onMessage = (event: { readonly data: unknown }): void => {
    const { data } = event;
    const frame = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data as ArrayBuffer);
    if (this.delivering) this.receivedFrame(frame);
    else this.held.push(frame);
  };

  private readonly onClose = (event: { readonly code: number; readonly reason: string }): void => {
    this.peerClose = event;
    if (this.delivering) this.pipeResume();
    if (NORMAL_CLOSE_CODES.has(event.code)) this.inputEnded();
    else if (!this.destroyedHere) this.fail(new WebSocketClosedError(event.code, event.reason));
    this.finish(event.code, event.reason);
  };

  private finish(code: number, reason: string): void {
    this.ws.removeEventListener('message', this.onMessage);
    this.ws.removeEventListener('close', this.onClose);
    this.pipeClosed({ code, reason });
  }
}
