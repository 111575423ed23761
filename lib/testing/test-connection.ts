import { map, NEVER, type Observable } from 'rxjs';
import { encodeValue } from '../codec/codec-operators';
import type { Connection, SocketAddress } from '../connection/connection';
import { resolveConnectionOptions, type ConnectionOptions } from '../connection/connection-options';
import { InvalidOptionError } from '../errors';
import { joinBytes } from './chunking';
import { MessageConnection } from './message-connection';

/**
 * Options of {@link testConnection}: what the peer sends, and the connection options of this end
 * (framing, codec, timeouts, `allowHalfOpen`, `scheduler`). `maxQueuedBytes` has no effect:
 * nothing queues, `writable$` stays true.
 *
 * @example
 * ```ts
 * testConnection({ framing: lengthPrefix(), codec: json(), stallTimeout: 1_000, scheduler, incomingBytes$: cold('a', { a: Uint8Array.of(0, 0) }) });
 * ```
 */
export interface TestConnectionOptions<In = Uint8Array, Out = In> extends ConnectionOptions<In, Out> {
  /**
   * What the peer sends, as messages (each one encoded and framed, then decoded again as a real
   * connection would). Its completion is the peer's end of stream; its error fails the connection
   * (use `connectionReset()` for a reset). Default: a peer that says nothing and never ends.
   * Its values are checked against the codec's type, never used to infer it: with
   * `codec: json<Msg>()`, marble values such as `{ a: { kind: 'ping' } }` are `Msg`s.
   */
  // `In`, written so that TypeScript infers it from the codec only, never from the marble values
  // (`NoInfer` would also spoil `cold('-a|')`, which TypeScript types as emitting `undefined` here
  // although it emits the letters: hence `| undefined`).
  incoming$?: Observable<[In][In extends unknown ? 0 : never] | undefined>;
  /** Instead of `incoming$`: what the peer sends as raw bytes, one chunk per value (partial frames, bad input). */
  incomingBytes$?: Observable<Uint8Array>;
  /** What `localAddress` reports. Default undefined. */
  localAddress?: SocketAddress;
  /** What `remoteAddress` reports. Default undefined. */
  remoteAddress?: SocketAddress;
}

/**
 * A {@link Connection} whose peer is played by Observables: what it receives comes from
 * `incoming$`, what it sends comes out of `outgoing$`.
 *
 * @example
 * ```ts
 * const connection: TestConnection<string, string> = testConnection({ codec: utf8(), incoming$: cold('a|') });
 * expectObservable(connection.outgoing$).toBe('-|');
 * ```
 */
export interface TestConnection<In, Out> extends Connection<In, Out> {
  /**
   * Every message given to the sink, as the peer decodes it (after a round trip through the
   * codec and framing), in the frame it was sent. It replays what was sent before it was
   * subscribed, completes when this end ends its output (sink complete, close, or the peer's end
   * without `allowHalfOpen`) and errors with the error that destroyed the connection.
   */
  readonly outgoing$: Observable<Out>;
  /** The same, as the framed bytes of each message on the wire. */
  readonly outgoingBytes$: Observable<Uint8Array>;
  /**
   * Opens the connection, as a server accepting it would: its idle clock starts and `incoming$`
   * is subscribed (what arrives is held until `messages$` is read). {@link testServer} opens each
   * connection as it emits it; otherwise the first use (reading, sending, closing) opens it.
   */
  open(): void;
}

/**
 * A connection for marble tests: the peer's messages are a marble Observable, and the messages
 * this end sends come out as `outgoing$` for `expectObservable`. It keeps the behaviour of a
 * socket connection (read ahead up to `maxHeldBytes` until `messages$` is read, half-close, graceful close with a close
 * timer, stall and idle timeouts, late messages) and runs every message through the real codec
 * and framing, so encoding errors and frame limits fail as they would on a socket; but it does so
 * synchronously, without streams, so every event happens in the virtual frame that caused it.
 * Pass the TestScheduler as `scheduler` (inside `run()`, the default `asyncScheduler` is virtual
 * too). A cold `incoming$` starts when the connection opens (see {@link TestConnection.open}).
 *
 * @example
 * ```ts
 * new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
 *   const connection = testConnection({ codec: utf8(), incoming$: cold('-a-b|', { a: 'hi', b: 'bye' }) });
 *   connection.messages$.subscribe((line) => connection.sink.next(line.toUpperCase()));
 *   expectObservable(connection.outgoing$).toBe('-a-(b|)', { a: 'HI', b: 'BYE' });
 * });
 * ```
 */
export function testConnection<In = Uint8Array, Out = In>(options: TestConnectionOptions<In, Out> = {}): TestConnection<In, Out> {
  const { incoming$, incomingBytes$, localAddress, remoteAddress, ...connectionOptions } = options;
  if (incoming$ !== undefined && incomingBytes$ !== undefined) {
    throw new InvalidOptionError('incomingBytes$', 'an Observable', 'left out when incoming$ is given');
  }
  const resolved = resolveConnectionOptions(connectionOptions);
  const { inCodec, inFraming } = resolved;
  const bytes$ =
    incomingBytes$ ??
    (incoming$ === undefined ? NEVER : incoming$.pipe(map((message) => joinBytes(inFraming.encodeFrame(encodeValue(inCodec, message))))));
  return new MessageConnection<In, Out>(bytes$, resolved, [localAddress, remoteAddress]);
}
