import { asyncScheduler, BehaviorSubject, filter, Observable, Subject, take, type SchedulerLike, type Subscription, type Observer } from 'rxjs';
import type { Codec } from '../codec/codec';
import { encodeValue } from '../codec/codec-operators';
import type { CloseInfo, Connection } from '../connection/connection';
import { BufferOverflowError, ConnectionLostError, HeartbeatTimeoutError, ReconnectFailedError, type RxSocketError } from '../errors';
import type { Framing } from '../framing/framing';
import { Deque } from '../internal/deque';
import { backoff, type BackoffOptions } from './backoff';

/** Buffered messages given to a connection in one turn of the event loop. */
const SEND_SLICE = 2_048;

/** Where a reconnecting client is. */
export type ClientStatus = 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** One step of a reconnecting client's life, emitted by `state$`. */
export interface ClientState {
  /** Where the client is: `connecting`, `connected`, `disconnected`, then finally `failed` or `closed`. */
  readonly status: ClientStatus;
  /** Failed attempts in a row (0 once connected). */
  readonly failures: number;
  /** Why the last attempt or connection failed, if it did. */
  readonly error?: unknown;
  /** With `disconnected`: milliseconds until the next attempt. */
  readonly retryIn?: number;
}

/** A message given to the sink that was never written to a socket, and why. */
export interface UnsentMessage<Out> {
  /** The message as it was given to the sink. */
  readonly message: Out;
  /** Why it was not sent: `BufferOverflowError`, `ReconnectFailedError` or `ConnectionLostError`. */
  readonly error: RxSocketError;
}

/** An application-level heartbeat that detects a dead peer. */
export interface HeartbeatOptions<In, Out> {
  /** Send `message()` every `interval` ms. */
  readonly interval: number;
  /** Take the peer for dead when nothing at all was received for `timeout` ms. */
  readonly timeout: number;
  /** The heartbeat message, for example `() => 'ping'`. */
  readonly message: () => Out;
  /** Heartbeat replies (for example `'pong'`), kept out of `messages$`. Default: none are. */
  readonly isReply?: (message: In) => boolean;
}

/** How a reconnecting client reconnects, buffers and checks the peer, whatever the transport. */
export interface ReconnectPolicy<In = Uint8Array, Out = In> {
  /** Delays between attempts. */
  backoff?: BackoffOptions;
  /** Messages kept while disconnected. Default 100,000. */
  maxBufferedMessages?: number;
  /** Encoded bytes kept while disconnected. Default 32 MiB. */
  maxBufferedBytes?: number;
  /** With a full buffer: `'drop-newest'` (default) refuses the new message, `'drop-oldest'` evicts the oldest; either is reported on `unsent$`. */
  whenBufferFull?: 'drop-newest' | 'drop-oldest';
  /** Optional heartbeat. */
  heartbeat?: HeartbeatOptions<In, Out>;
  /** Scheduler of backoff and heartbeat timers (and of the connection's). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A long-lived client that reconnects by itself and never loses a message silently. */
export interface ReconnectingClient<In, Out> {
  /** Messages from whichever connection is current; errors with ReconnectFailedError when it gives up. */
  readonly messages$: Observable<In>;
  /**
   * Sends at once while connected and the connection is `writable`; buffers (bounded) otherwise,
   * and sends in order as soon as the connection is writable again or after reconnecting.
   */
  readonly sink: Observer<Out>;
  /** Every connect, disconnect (with the delay to the next try) and reconnect; replays the current state to each new subscriber. */
  readonly state$: Observable<ClientState>;
  /** Messages that were never written to a socket (buffer full, gave up, closed), with the reason. */
  readonly unsent$: Observable<UnsentMessage<Out>>;
  /** Messages waiting for a connection. */
  readonly bufferedMessages: number;
  /** Closes the client: the current connection is closed gracefully; buffered messages are reported unsent. */
  close(): void;
}

/**
 * The reconnecting client of every transport: {@link reconnecting} gives it `connect()` (TCP),
 * the browser entry gives it the browser's WebSocket. `open(scheduler)` opens one connection
 * attempt; `outCodec` and `outFraming` measure and check each message before it is kept. Free of
 * Node imports. Internal: not exported.
 */
export function reconnectingWith<In, Out>(
  options: ReconnectPolicy<In, Out>,
  open: (scheduler: SchedulerLike) => Observable<Connection<In, Out>>,
  outCodec: Codec<Out>,
  outFraming: Framing,
): Observable<ReconnectingClient<In, Out>> {
  const delays = backoff(options.backoff);
  return new Observable<ReconnectingClient<In, Out>>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const maxMessages = options.maxBufferedMessages ?? 100_000;
    const maxBytes = options.maxBufferedBytes ?? 32 * 1024 * 1024;
    const state = new BehaviorSubject<ClientState>({ status: 'connecting', failures: 0 });
    const messages = new Subject<In>();
    const unsent = new Subject<UnsentMessage<Out>>();
    const buffer = new Deque<{ message: Out; bytes: number }>();
    let bufferedBytes = 0;
    let current: Connection<In, Out> | null = null;
    /** Messages given to the current connection whose hand-over to the socket is not yet known. */
    let given: Out[] = [];
    let failures = 0;
    let closed = false;
    // At most one of each at a time; all cancelled on close (cancelling the attempt closes its
    // connection gracefully).
    let attemptSubscription: Subscription | null = null;
    let retryTimer: Subscription | null = null;
    let heartbeatTimer: Subscription | null = null;
    /** Waits for the current connection to become writable again, to send what is buffered. */
    let resumeTimer: Subscription | null = null;

    // A message that cannot be encoded or framed is reported at once, never given to a connection
    // (it would fail every connection it is resent to).
    const bytesOf = (message: Out): number | RxSocketError => {
      try {
        const payload = encodeValue(outCodec, message);
        outFraming.encodeFrame(payload);
        return payload.byteLength;
      } catch (error) {
        return error as RxSocketError;
      }
    };

    const enqueue = (message: Out, front = false): void => {
      const bytes = bytesOf(message);
      if (typeof bytes !== 'number') return unsent.next({ message, error: bytes });
      if (buffer.length + 1 > maxMessages || bufferedBytes + bytes > maxBytes) {
        const overflow = new BufferOverflowError(buffer.length, bufferedBytes);
        if (options.whenBufferFull !== 'drop-oldest' || buffer.length === 0) return unsent.next({ message, error: overflow });
        const evicted = buffer.shift() as { message: Out; bytes: number };
        bufferedBytes -= evicted.bytes;
        unsent.next({ message: evicted.message, error: overflow });
      }
      if (front) buffer.unshift({ message, bytes });
      else buffer.push({ message, bytes });
      bufferedBytes += bytes;
    };

    const give = (connection: Connection<In, Out>, message: Out): void => {
      connection.sink.next(message);
      // A connection refuses what comes after its output ended (the peer ended first): such a
      // message is counted in its `unsentMessages` and taken back once it closes, like the queued
      // ones, never both resent now and again then.
      given.push(message);
      // Only the last `queuedMessages + lateMessages` can still come back unsent: forget the rest (amortised).
      const open = connection.queuedMessages + connection.lateMessages;
      if (given.length > 1024 + 2 * open) given = given.slice(given.length - open);
    };

    /** Gives buffered messages to the connection while it is writable; waits for it to be again. */
    const sendBuffered = (connection: Connection<In, Out>): void => {
      resumeTimer?.unsubscribe();
      resumeTimer = null;
      // At most SEND_SLICE a turn, so that a full buffer never blocks the event loop for long.
      for (let k = 0; k < SEND_SLICE && buffer.length > 0 && current === connection && connection.writable; k++) {
        const next = buffer.shift() as { message: Out; bytes: number };
        bufferedBytes -= next.bytes;
        give(connection, next.message);
      }
      if (buffer.length === 0 || current !== connection) return;
      resumeTimer = connection.writable
        ? scheduler.schedule(() => sendBuffered(connection))
        : connection.writable$.pipe(filter(Boolean), take(1)).subscribe(() => sendBuffered(connection));
    };

    const startHeartbeat = (connection: Connection<In, Out>, lastHeard: { at: number }): void => {
      const beat = options.heartbeat;
      if (beat === undefined) return;
      const tick = (): void => {
        if (current !== connection) return;
        if (scheduler.now() - lastHeard.at >= beat.timeout) {
          connection.destroy(new HeartbeatTimeoutError(beat.timeout));
          return;
        }
        // Heartbeats are not the user's messages: never kept, resent or reported.
        connection.sink.next(beat.message());
        heartbeatTimer = scheduler.schedule(tick, beat.interval);
      };
      heartbeatTimer = scheduler.schedule(tick, beat.interval);
    };

    const onConnected = (connection: Connection<In, Out>): void => {
      if (closed) return connection.close();
      failures = 0;
      current = connection;
      given = [];
      const lastHeard = { at: scheduler.now() };
      // Both end by themselves when the connection closes.
      connection.messages$.subscribe({
        next: (message) => {
          lastHeard.at = scheduler.now();
          if (options.heartbeat?.isReply?.(message) !== true) messages.next(message);
        },
        error: () => undefined, // closed$ reports it
      });
      connection.closed$.subscribe((info) => onDisconnected(connection, info));
      state.next({ status: 'connected', failures: 0 });
      sendBuffered(connection);
      startHeartbeat(connection, lastHeard);
    };

    const onDisconnected = (connection: Connection<In, Out>, info: CloseInfo): void => {
      if (current !== connection) return;
      current = null;
      heartbeatTimer?.unsubscribe();
      resumeTimer?.unsubscribe();
      heartbeatTimer = resumeTimer = null;
      // The last `unsentMessages` given never reached the socket: they go first, in order.
      const lost = info.unsentMessages > 0 ? given.slice(-info.unsentMessages) : [];
      given = [];
      for (let k = lost.length - 1; k >= 0; k--) enqueue(lost[k] as Out, true);
      if (closed) return reportBuffered(new ConnectionLostError(info.error));
      retryLater(info.error);
    };

    const attempt = (): void => {
      if (closed) return;
      state.next({ status: 'connecting', failures });
      // The previous attempt's connection is closed by now: its subscription has nothing left to hold.
      attemptSubscription?.unsubscribe();
      attemptSubscription = open(scheduler).subscribe({
        next: onConnected,
        error: (error: unknown) => {
          failures++;
          if (failures >= delays.maxAttempts) return giveUp(error);
          retryLater(error);
        },
      });
    };

    const retryLater = (error: unknown): void => {
      // After a lost connection, wait `initial`; after the n-th failed attempt in a row, the n-th delay.
      const retryIn = delays.delay(Math.max(1, failures));
      state.next({ status: 'disconnected', failures, error, retryIn });
      retryTimer = scheduler.schedule(attempt, retryIn);
    };

    const reportBuffered = (error: RxSocketError): void => {
      for (const { message } of buffer.drain()) unsent.next({ message, error });
      bufferedBytes = 0;
    };

    const giveUp = (cause: unknown): void => {
      closed = true;
      const error = new ReconnectFailedError(failures, cause);
      state.next({ status: 'failed', failures, error: cause });
      reportBuffered(error);
      messages.error(error);
      unsent.complete();
      state.complete();
      subscriber.complete();
    };

    const close = (): void => {
      if (closed) return;
      closed = true;
      const connection = current;
      reportBuffered(new ConnectionLostError('client closed'));
      // Cancels timers and the current attempt; for a live connection, that is a graceful close.
      for (const s of [retryTimer, heartbeatTimer, resumeTimer, attemptSubscription]) s?.unsubscribe();
      state.next({ status: 'closed', failures });
      messages.complete();
      state.complete();
      if (connection === null) unsent.complete();
      else connection.closed$.subscribe(() => unsent.complete());
    };

    const client: ReconnectingClient<In, Out> = {
      messages$: messages.asObservable(),
      state$: state.asObservable(),
      unsent$: unsent.asObservable(),
      get bufferedMessages() {
        return buffer.length;
      },
      sink: {
        next: (message: Out) => {
          if (closed) unsent.next({ message, error: new ConnectionLostError('client closed') });
          else if (current !== null && buffer.length === 0 && current.writable) give(current, message);
          else {
            enqueue(message);
            if (current !== null && resumeTimer === null) sendBuffered(current);
          }
        },
        error: () => close(),
        complete: () => close(),
      },
      close,
    };
    attempt();
    subscriber.next(client);
    return close;
  });
}
