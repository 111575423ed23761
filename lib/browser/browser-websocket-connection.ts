import type { Subscription } from 'rxjs';
import { ConnectionCore, type PipeUnsent } from '../connection/connection-core';
import { WebSocketClosedError } from '../errors';
import { NORMAL_CLOSE_CODES, sendableCloseCode } from '../websocket/close-codes';
import { SendLedger } from '../websocket/send-ledger';
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
  private readonly ledger: SendLedger;
  private stopped = false;
  private delivering = false;
  private destroyedHere = false;
  private held: Uint8Array[] = [];
  private poll: Subscription | null = null;
  private closeWith = { code: 1000, reason: '' };
  /** The close event, once it came. */
  private peerClose: { readonly code: number; readonly reason: string } | null = null;

  constructor(
    private readonly ws: WebSocketLike,
    private readonly settings: ResolvedWebSocketOptions<In, Out>,
  ) {
    super(settings.connection, [undefined, undefined]);
    // What the browser still buffers is already counted as queued: writable follows the queue alone.
    this.ledger = new SendLedger(settings.connection.maxQueuedBytes, () => 0, {
      writable: (ready) => this.writableChanged(ready),
      flushed: () => this.allFlushed(),
    });
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('message', this.onMessage);
    ws.addEventListener('close', this.onClose);
    // Messages go to the shared lifecycle at once, held there for `messages$` up to `maxHeldBytes`.
    this.beginReading();
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

  /** Closes gracefully with code 1000, or the code and reason of a WebSocketClosedError `reason`. */
  override close(reason?: unknown): void {
    if (reason instanceof WebSocketClosedError && sendableCloseCode(reason.closeCode)) {
      this.closeWith = { code: reason.closeCode, reason: reason.reason };
    }
    super.close(reason);
  }

  protected pipeWrite(payload: Uint8Array): boolean {
    this.settings.connection.outFraming.encodeFrame(payload);
    const overflow = this.ledger.accept(payload.byteLength);
    if (overflow !== null) {
      this.fail(overflow);
      return false;
    }
    this.ws.send(this.settings.text ? decoder.decode(payload) : payload);
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
    // Oldest first, until delivery pauses again (the rest stays held).
    const held = this.held;
    let next = 0;
    while (next < held.length && this.delivering) this.receivedFrame(held[next++] as Uint8Array);
    held.splice(0, next);
  }

  protected pipePause(): void {
    this.delivering = false;
  }

  protected pipeStop(): PipeUnsent {
    this.stopped = true;
    this.poll?.unsubscribe();
    this.held = [];
    return this.ledger.stop();
  }

  private readonly onPoll = (): void => {
    this.poll = null;
    this.refresh();
  };

  /** Reads `bufferedAmount`: what left is sent; keeps polling while anything waits. */
  private refresh(): void {
    if (this.stopped) return;
    this.ledger.sentThrough(this.ledger.acceptedBytes - this.ws.bufferedAmount);
    if (this.ledger.queuedBytes > 0) this.poll ??= this.settings.connection.scheduler.schedule(this.onPoll, DRAIN_POLL_MS);
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
