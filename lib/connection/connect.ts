import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { Observable, type Subscription } from 'rxjs';
import { DEFAULT_HOST } from '../constants';
import { ConnectTimeoutError, InvalidOptionError } from '../errors';
import type { Connection } from './connection';
import { resolveConnectionOptions, type ConnectionOptions } from './connection-options';
import { SocketConnection } from './socket-connection';
import { addressesOf } from './socket-address';
import { applyTcpOptions, type TcpOptions } from './socket-setup';
import { checkSocketPath } from './unix-socket-path';
import { whenAborted } from '../internal/abort';

/** Options of {@link connect}: where to (TCP `host`/`port`, or Unix `path`), TLS, and the connection's options. */
export interface ConnectOptions<In = Uint8Array, Out = In> extends ConnectionOptions<In, Out>, TcpOptions {
  /** TCP host. Default `'127.0.0.1'`, where {@link listen} binds by default. */
  host?: string;
  /** TCP port. */
  port?: number;
  /** Unix domain socket path (instead of `host`/`port`); longer than the platform allows (107 bytes on Linux): SocketPathTooLongError. */
  path?: string;
  /** Use TLS with these options (`ca`, `servername`, ...). Certificates are verified unless you say otherwise. */
  tls?: TlsConnectionOptions;
  /** Milliseconds to establish the connection (and TLS handshake) before ConnectTimeoutError. Default: none. */
  connectTimeout?: number;
  /**
   * Aborting closes the connection gracefully (the Observable completes), or, before it is
   * established, gives up (the Observable errors with the signal's reason).
   */
  signal?: AbortSignal;
}

/**
 * Where a client connects: a TCP `port` (on `host`, default `'127.0.0.1'`) or a Unix socket
 * `path`. One is required, so `connect({ codec: utf8() })` does not compile (it would throw).
 *
 * @example
 * ```ts
 * const at: ConnectAddress = process.env.SOCKET ? { path: process.env.SOCKET } : { host: 'db.local', port: 5489 };
 * connect({ ...at, framing: delimiter(), codec: utf8() });
 * ```
 */
export type ConnectAddress =
  | {
      /** TCP port. */
      readonly port: number;
      /** TCP host. Default `'127.0.0.1'`. */
      readonly host?: string;
    }
  | {
      /** Unix domain socket path. */
      readonly path: string;
    };

/**
 * A cold Observable of one client connection. Subscribing opens a socket; the connection is
 * emitted once established, and the Observable completes when it closes. Unsubscribing closes the
 * socket (gracefully, then destroyed after `closeTimeout`). Each subscription gets its own socket,
 * so `retry()` reconnects. Failures to connect arrive as Node's own errors (`ECONNREFUSED`, ...);
 * a Unix socket path too long for the platform throws SocketPathTooLongError at once.
 *
 * @example
 * ```ts
 * connect({ host: '127.0.0.1', port: 5489, framing: jsocketFraming('v1'), codec: json() })
 *   .pipe(switchMap((connection) => { connection.sink.next({ cmd: 'ping' }); return connection.messages$; }))
 *   .subscribe((reply) => console.log(reply));
 * ```
 */
export function connect<In = Uint8Array, Out = In>(options: ConnectOptions<In, Out> & ConnectAddress): Observable<Connection<In, Out>> {
  const resolved = resolveConnectionOptions(options);
  if (options.path === undefined && options.port === undefined) throw new InvalidOptionError('port', undefined, 'a port or a path');
  if (options.path !== undefined) checkSocketPath(options.path);
  const { connectTimeout } = options;
  if (connectTimeout !== undefined && !(connectTimeout > 0)) {
    throw new InvalidOptionError('connectTimeout', connectTimeout, 'a positive number of milliseconds');
  }
  return new Observable<Connection<In, Out>>((subscriber) => {
    if (options.signal?.aborted === true) {
      subscriber.error(options.signal.reason);
      return undefined;
    }
    const endpoint = options.path !== undefined ? { path: options.path } : { host: options.host ?? DEFAULT_HOST, port: options.port as number };
    // Half-open at the socket level always: SocketConnection applies the allowHalfOpen policy itself.
    const tlsOptions: TlsConnectionOptions & { allowHalfOpen: boolean } = { ...options.tls, ...endpoint, allowHalfOpen: true };
    const socket: Socket = options.tls !== undefined ? tlsConnect(tlsOptions) : netConnect({ ...endpoint, allowHalfOpen: true });
    const readyEvent = options.tls !== undefined ? 'secureConnect' : 'connect';
    let connection: SocketConnection<In, Out> | null = null;
    let closedSubscription: Subscription | null = null;
    let timer: Subscription | null = null;

    const onFailure = (error: Error): void => subscriber.error(error);
    const onReady = (): void => {
      timer?.unsubscribe();
      socket.removeListener('error', onFailure);
      applyTcpOptions(socket, options);
      connection = new SocketConnection(socket, resolved, addressesOf(socket, options.path));
      closedSubscription = connection.closed$.subscribe(() => subscriber.complete());
      subscriber.next(connection);
    };
    socket.once(readyEvent, onReady);
    socket.on('error', onFailure);
    if (connectTimeout !== undefined) {
      timer = resolved.scheduler.schedule(() => subscriber.error(new ConnectTimeoutError(connectTimeout)), connectTimeout);
    }
    const stopAbort = whenAborted(options.signal, (reason) => (connection === null ? subscriber.error(reason) : connection.close()));
    return () => {
      stopAbort();
      timer?.unsubscribe();
      closedSubscription?.unsubscribe();
      socket.removeListener(readyEvent, onReady);
      if (connection !== null) {
        connection.close();
      } else {
        socket.removeListener('error', onFailure);
        socket.on('error', ignoreAfterTeardown);
        socket.destroy();
      }
    };
  });
}

/** Errors of a socket abandoned before it connected: nobody is listening any more. */
function ignoreAfterTeardown(): void {
  // Deliberately empty: the subscriber is gone, and an unhandled 'error' would crash the process.
}
