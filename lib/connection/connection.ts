import type { Observable, Observer, Subscription } from 'rxjs';
import type { ConnectionTraffic } from '../stats/traffic';

/** Where a socket is: an IP endpoint, or the path of a Unix domain socket. */
export type SocketAddress =
  | {
      /** An IP socket. */
      readonly family: 'IPv4' | 'IPv6';
      /** The IP address, as Node writes it (`'127.0.0.1'`, `'::1'`). */
      readonly address: string;
      /** The TCP port. */
      readonly port: number;
    }
  | {
      /** A Unix domain socket. */
      readonly family: 'unix';
      /** The socket's file system path. */
      readonly path: string;
    };

/** How a connection ended, emitted once by `closed$`. */
export interface CloseInfo {
  /** The error that ended it (typed rxsocket error or Node system error), if any. */
  readonly error: unknown;
  /**
   * Outgoing bytes accepted by the sink that never reached the kernel: still queued in rxsocket or
   * in Node's socket buffer, or in a write that Node did not confirm.
   */
  readonly unsentBytes: number;
  /**
   * Messages given to the sink that never reached the kernel whole: those still queued, plus those
   * refused (given after the output ended or the connection failed, or past `maxQueuedBytes`). They
   * are always the most recent ones (the last `unsentMessages` given to `sink.next`), so a caller
   * that keeps them can send exactly those again.
   */
  readonly unsentMessages: number;
  /**
   * WebSocket connections only: the close code the closing handshake carried (1000 normal, 1001
   * going away, 1005 none given, 1006 closed without a handshake, 4000-4999 the application's).
   */
  readonly code?: number;
  /** WebSocket connections only: the close reason text the closing handshake carried ('' if none). */
  readonly reason?: string;
}

/**
 * The sending side of a connection: an RxJS `Subject`, so `source$.subscribe(connection.sink)`
 * works, and subscribing to it shows each message the connection accepted (for logging and
 * inspectors; nobody watching costs nothing but a property read). `next` encodes, frames and
 * queues a message (bursts are batched into few syscalls); `complete` flushes everything queued
 * and then half-closes (FIN); `error` destroys the socket. It never throws: a message that cannot
 * be encoded or framed closes the connection with the typed error, delivered on `messages$` and
 * `closed$`. rxsocket's connections give a real `Subject`, made by {@link sinkSubject} (a
 * hand-written `Connection` makes one from its handlers); it is typed here by its `Observer` and
 * `subscribe` sides only, so a `Connection<string, string>` still passes where a
 * `Connection<unknown, never>` is expected.
 */
export interface ConnectionSink<Out> extends Observer<Out> {
  /** Shows each message the connection accepts, then the end of the output (an error if destroyed with one). */
  subscribe(observerOrNext?: Partial<Observer<Out>> | ((message: Out) => void)): Subscription;
  /** True while somebody watches. */
  readonly observed: boolean;
  /** Encodes and queues one message; subscribers see it if it was accepted. */
  next(message: Out): void;
  /** Destroys the connection with `error` (subscribers get the error). */
  error(error: unknown): void;
  /** Sends everything queued, then ends the writing side (subscribers complete). */
  complete(): void;
}

/**
 * One open socket, as streams: decoded messages in, a sink for messages out.
 *
 * @example
 * ```ts
 * connect({ port, framing: delimiter(), codec: utf8() }).subscribe((connection) => {
 *   connection.messages$.subscribe((line) => console.log('got', line));
 *   connection.sink.next('hello');
 * });
 * ```
 */
export interface Connection<In, Out> {
  /**
   * Decoded incoming messages. Nothing is lost before the first subscription: while nobody is
   * subscribed, the connection reads ahead and holds up to `maxHeldBytes` for the next subscriber
   * (then stops reading), so the peer's end is seen even by a connection that only writes. It
   * completes when the peer ends cleanly, and errors on bad input, a timeout or a reset (Node's
   * own error). A later subscriber gets what was held, then what comes, or the end.
   */
  readonly messages$: Observable<In>;
  /** Where outgoing messages go. */
  readonly sink: ConnectionSink<Out>;
  /** The value of {@link writable} each time it changes (starting with the current one). */
  readonly writable$: Observable<boolean>;
  /**
   * `true` unless the transport pushes back (as when Node's `write()` returns false) or more than
   * half of `maxQueuedBytes` is queued. A producer that sends only while it is `true` (messages of at most half the bound each)
   * never reaches `maxQueuedBytes`.
   */
  readonly writable: boolean;
  /** Emits each time every byte accepted so far has reached the kernel (`queuedBytes` back to 0). */
  readonly flushed$: Observable<void>;
  /** Emits once, when the socket has fully closed, then completes. */
  readonly closed$: Observable<CloseInfo>;
  /** This end's address (undefined for sockets without one, such as in-memory pairs). */
  readonly localAddress: SocketAddress | undefined;
  /** The peer's address (undefined for sockets without one). */
  readonly remoteAddress: SocketAddress | undefined;
  /**
   * Outgoing bytes accepted and not yet confirmed written to the kernel, wherever they wait (in
   * rxsocket's queue or Node's socket buffer). Never more than `maxQueuedBytes`, or one message
   * when that message alone is larger.
   */
  readonly queuedBytes: number;
  /** Messages accepted and not yet confirmed written to the kernel (the most recent ones). */
  readonly queuedMessages: number;
  /**
   * Messages given to the sink that were refused: after it completed, after the connection failed or
   * closed, or past `maxQueuedBytes`. Discarded, counted here and in `closed$`'s `unsentMessages`.
   */
  readonly lateMessages: number;
  /**
   * Messages and bytes carried so far, counted as they pass (rxsocket's own connections always have
   * it; a hand-written `Connection` may leave it out). Sample it with `connectionStats` or `serverStats`.
   */
  readonly traffic?: ConnectionTraffic;
  /**
   * Closes gracefully: flushes what is queued, ends the writing side, and destroys the socket if
   * it has not closed within `closeTimeout`. Idempotent. With a `reason`, `messages$` errors with
   * it at once and `closed$` reports it, but what was queued is still sent.
   */
  close(reason?: unknown): void;
  /** Destroys the socket at once (queued messages are dropped and counted in `closed$`). */
  destroy(error?: unknown): void;
  /**
   * Stops reading: incoming bytes wait in the kernel, so a fast peer is slowed down by TCP itself
   * (inbound backpressure). Messages already decoded from the current chunk are still delivered.
   */
  pause(): void;
  /** Reads again after {@link pause} (when somebody is subscribed to `messages$`). */
  resume(): void;
}
