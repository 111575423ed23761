import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';
import { Observable } from 'rxjs';
import { DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_HOST, DEFAULT_MAX_WAITING, DEFAULT_QUEUE_IDLE_TIMEOUT, DEFAULT_WAIT_TIMEOUT } from '../constants';
import { whenAborted } from '../internal/abort';
import { InvalidOptionError } from '../errors';
import { Admission, type WhenFull } from './admission';
import type { Connection, SocketAddress } from './connection';
import { resolveConnectionOptions, type ConnectionOptions } from './connection-options';
import { SocketConnection } from './socket-connection';
import { ServerAddresses } from './socket-address';
import { applyTcpOptions, type TcpOptions } from './socket-setup';
import { TlsHandshakes } from './tls-handshakes';
import { checkSocketPath, removeStaleSocket } from './unix-socket-path';

/** Options of {@link listen}. */
export interface ListenOptions<In = Uint8Array, Out = In> extends ConnectionOptions<In, Out>, TcpOptions {
  /** TCP address to bind. Default `'127.0.0.1'` (loopback only: pass `'0.0.0.0'` or `'::'` to be reachable), where {@link connect} goes by default. */
  host?: string;
  /** TCP port; 0 picks a free one (learn it from `onListening`). */
  port?: number;
  /**
   * Unix domain socket path (instead of `host`/`port`). A stale socket file is replaced; a live one
   * is not. Longer than the platform allows (107 bytes on Linux): SocketPathTooLongError.
   */
  path?: string;
  /** Serve TLS with these options (`key`, `cert`, ...). */
  tls?: TlsOptions;
  /**
   * With `tls`: milliseconds a client has, from accept, to complete its handshake before its socket
   * is destroyed. Default 10,000. Clients in their handshake count against `maxConnections`.
   */
  handshakeTimeout?: number;
  /** Kernel backlog of connections not yet accepted. Default Node's (511). */
  backlog?: number;
  /** Called once the server is bound, with its address (the real port when `port` was 0), before any connection. */
  onListening?: (address: SocketAddress) => void;
  /** Clients served at once (TLS clients count from accept, handshake included). Default unlimited. */
  maxConnections?: number;
  /** Policy for clients past `maxConnections`: `'reject'` (default; their socket is closed at once) or `'queue'`. */
  whenFull?: WhenFull;
  /** With `'queue'`: clients kept waiting before more are rejected. Default 128. */
  maxWaiting?: number;
  /** With `'queue'`: milliseconds a client may wait for its turn before it is dropped. Default 60,000; `Infinity`: forever. */
  waitTimeout?: number;
  /**
   * Serve one client at a time (socket-oneline, jsocket ThreadedServer): later clients wait,
   * unanswered, and are served in arrival order. Same as `maxConnections: 1, whenFull: 'queue'`.
   * A server that keeps clients waiting closes idle connections after 30 s by default (`idleTimeout`).
   */
  singleClient?: boolean;
  /** Aborting stops the server as unsubscribing does; the Observable completes. */
  signal?: AbortSignal;
}

/** Where a server listens: a TCP `port` (0 picks a free one) or a Unix socket `path`; one is required. */
export type ListenAddress =
  | {
      /** TCP port; 0 picks a free one. */
      readonly port: number;
    }
  | {
      /** Unix domain socket path. */
      readonly path: string;
    };

function addressOf(server: Server, path: string | undefined): SocketAddress {
  if (path !== undefined) return { family: 'unix', path };
  const info = server.address() as AddressInfo;
  return { family: info.family === 'IPv6' ? 'IPv6' : 'IPv4', address: info.address, port: info.port };
}

/**
 * A cold Observable of the connections a server accepts. Subscribing starts listening; each
 * client is emitted as a {@link Connection}, read ahead up to `maxHeldBytes` until its `messages$` is subscribed.
 * Unsubscribing stops accepting, closes every connection gracefully (destroyed after
 * `closeTimeout`) and refuses waiting clients. Listen failures arrive as Node's errors
 * (`EADDRINUSE`, ...); a Unix socket path too long for the platform throws SocketPathTooLongError
 * at once, before anything is created.
 *
 * @example
 * ```ts
 * // An echo server on a free port.
 * listen({ port: 0, framing: delimiter(), codec: utf8(), onListening: ({ port }) => console.log(port) })
 *   .pipe(mergeMap((connection) => connection.messages$.pipe(tap(connection.sink))))
 *   .subscribe();
 * ```
 */
export function listen<In = Uint8Array, Out = In>(options: ListenOptions<In, Out> & ListenAddress): Observable<Connection<In, Out>> {
  const { path } = options;
  if (path === undefined && options.port === undefined) throw new InvalidOptionError('port', undefined, 'a port or a path');
  if (path !== undefined) checkSocketPath(path);
  const maxConnections = options.singleClient === true ? 1 : (options.maxConnections ?? Infinity);
  const whenFull = options.singleClient === true ? 'queue' : (options.whenFull ?? 'reject');
  if (!(maxConnections >= 1)) throw new InvalidOptionError('maxConnections', maxConnections, 'at least 1');
  if (whenFull !== 'queue' && whenFull !== 'reject') throw new InvalidOptionError('whenFull', whenFull, "'queue' or 'reject'");
  // One silent client must not hold the line of a server that keeps others waiting.
  const idleTimeout = options.idleTimeout ?? (whenFull === 'queue' ? DEFAULT_QUEUE_IDLE_TIMEOUT : undefined);
  const base = resolveConnectionOptions({ ...options, idleTimeout });
  const waitTimeout = positive('waitTimeout', options.waitTimeout, DEFAULT_WAIT_TIMEOUT, true);
  const handshakeTimeout = positive('handshakeTimeout', options.handshakeTimeout, DEFAULT_HANDSHAKE_TIMEOUT, false);
  const maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;

  return new Observable<Connection<In, Out>>((subscriber) => {
    if (options.signal?.aborted === true) {
      subscriber.complete();
      return undefined;
    }
    // TLS too starts as plain TCP, so that a client counts from accept; sockets are not half-open
    // until their handshake completes (see TlsHandshakes).
    // Nagle and keepalive are set by the server on each accepted handle (one call, no socket method).
    const server: Server = createNetServer({
      allowHalfOpen: options.tls === undefined,
      pauseOnConnect: true,
      noDelay: options.noDelay ?? true,
      keepAlive: options.keepAlive !== undefined,
      keepAliveInitialDelay: options.keepAlive,
    });
    const handshakes = options.tls !== undefined ? new TlsHandshakes(options.tls, handshakeTimeout, base.scheduler) : null;
    const connections = new Set<SocketConnection<In, Out>>();
    let stopped = false;
    // The path, and the address once bound when it is not a wildcard; the rest is read from each socket.
    const addresses = new ServerAddresses(path);
    const resolved = { ...base, serverAddresses: addresses };

    // What every plain connection's close does (one function for all: no closure per connection).
    const closedPlain = (connection: SocketConnection<In, Out>): void => {
      connections.delete(connection);
      if (!stopped) admission.release();
    };
    const serveSocket = (socket: Socket, closed: (connection: SocketConnection<In, Out>) => void): void => {
      if (handshakes !== null) applyTcpOptions(socket, options);
      const connection = new SocketConnection<In, Out>(socket, resolved, null);
      connections.add(connection);
      connection.whenClosed(closed);
      subscriber.next(connection);
    };
    const admission = new Admission({ maxConnections, whenFull, maxWaiting, waitTimeout, scheduler: base.scheduler }, (socket) => {
      if (handshakes === null) return serveSocket(socket, closedPlain);
      // A client that never completes its handshake leaves when its TCP socket closes.
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        if (!stopped) admission.release();
      };
      socket.once('close', release);
      handshakes.start(socket, (secure) =>
        serveSocket(secure, (connection) => {
          connections.delete(connection);
          release();
        }),
      );
    });
    const onSocket = (socket: Socket): void => admission.offer(socket);
    const onError = (error: Error): void => subscriber.error(error);
    const onListening = (): void => {
      try {
        options.onListening?.(addressOf(server, path));
      } catch (error) {
        subscriber.error(error);
      }
    };
    const start = (retryStale: boolean): void => {
      const onStartError = (error: NodeJS.ErrnoException): void => {
        server.removeListener('listening', onBound);
        if (retryStale && path !== undefined && error.code === 'EADDRINUSE') {
          removeStaleSocket(path).then(
            (removed) => (stopped ? undefined : removed ? start(false) : subscriber.error(error)),
            (cause: unknown) => subscriber.error(cause),
          );
        } else {
          subscriber.error(error);
        }
      };
      const onBound = (): void => {
        const bound = addressOf(server, path);
        // Bound to one address (not a wildcard), every connection's own address is that one.
        if (bound.family !== 'unix' && bound.address !== '0.0.0.0' && bound.address !== '::') addresses.local = bound;
        server.removeListener('error', onStartError);
        server.on('error', onError);
        onListening();
      };
      server.once('error', onStartError);
      server.once('listening', onBound);
      // A `port` key, even undefined, would make Node bind TCP instead of the path.
      server.listen(
        path !== undefined
          ? { path, backlog: options.backlog }
          : { host: options.host ?? DEFAULT_HOST, port: options.port, backlog: options.backlog },
      );
    };

    server.on('connection', onSocket);
    start(true);
    const stopAbort = whenAborted(options.signal, () => subscriber.complete());

    return () => {
      stopAbort();
      stopped = true;
      server.removeListener('connection', onSocket);
      server.removeAllListeners('error');
      server.removeAllListeners('listening');
      // A server closing may still report an error: nobody listens any more, and it must not crash.
      server.on('error', () => undefined);
      server.close();
      admission.refuseWaiting();
      handshakes?.stop();
      for (const connection of connections) connection.close();
    };
  });
}

/** A positive number of milliseconds (at most 2^31 - 1), or `Infinity` where `allowInfinity`. */
function positive(name: string, value: number | undefined, fallback: number, allowInfinity: boolean): number {
  const result = value ?? fallback;
  if (allowInfinity && result === Infinity) return result;
  if (!(result > 0 && result <= 2_147_483_647)) throw new InvalidOptionError(name, value, 'a positive number of milliseconds');
  return result;
}
