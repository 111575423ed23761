import type { Socket } from 'node:net';
import { createServer, type Server, type TLSSocket, type TlsOptions } from 'node:tls';
import type { SchedulerLike, Subscription } from 'rxjs';

/** A handshake under way: its deadline, and what to do once it completes. */
interface Handshake {
  readonly timer: Subscription;
  readonly secured: (socket: TLSSocket) => void;
}

/**
 * The TLS side of a server. The server accepts plain TCP sockets (so that each one counts against
 * `maxConnections` from the moment it is accepted) and hands each admitted one here; a TLS server
 * that never listens performs the handshake (Node's own: certificates, SNI, ALPN, client
 * certificates with `rejectUnauthorized`). Two limits Node's defaults lack:
 *
 * - a deadline for the whole handshake from accept, on the library's scheduler (Node's
 *   `handshakeTimeout` is 120 s, and restarts whenever a byte arrives);
 * - no half-open socket before the handshake: a client that sends FIN without completing it is
 *   closed at once. Sockets are created without `allowHalfOpen`, which is switched on when the
 *   handshake completes, since the connection applies its own half-close policy.
 */
export class TlsHandshakes {
  private readonly server: Server;
  private readonly pending = new Map<Socket, Handshake>();

  constructor(
    options: TlsOptions,
    private readonly timeout: number,
    private readonly scheduler: SchedulerLike,
  ) {
    this.server = createServer(options);
    this.server.on('secureConnection', this.onSecureConnection);
  }

  /** Starts the handshake on an accepted TCP socket; `secured` gets the TLS socket once it completes. */
  start(socket: Socket, secured: (socket: TLSSocket) => void): void {
    socket.on('error', ignore);
    const timer = this.scheduler.schedule(() => {
      this.pending.delete(socket);
      socket.destroy();
    }, this.timeout);
    this.pending.set(socket, { timer, secured });
    socket.once('close', () => this.forget(socket));
    // Node's documented way to hand a stream to a TLS server; it emits 'secureConnection' when done.
    this.server.emit('connection', socket);
  }

  /** Ends every handshake under way (the server is stopping). */
  stop(): void {
    for (const socket of [...this.pending.keys()]) {
      this.forget(socket);
      socket.destroy();
    }
  }

  private forget(socket: Socket): void {
    this.pending.get(socket)?.timer.unsubscribe();
    this.pending.delete(socket);
  }

  private readonly onSecureConnection = (secure: TLSSocket): void => {
    // A TLS socket made by a TLS server keeps the TCP socket it wraps as `_parent`.
    const socket = (secure as TLSSocket & { _parent?: Socket })._parent;
    const handshake = socket === undefined ? undefined : this.pending.get(socket);
    if (socket === undefined || handshake === undefined) {
      secure.destroy(); // timed out, or the server stopped, as the handshake completed
      return;
    }
    this.forget(socket);
    secure.allowHalfOpen = true;
    handshake.secured(secure);
  };
}

/** Errors of the TCP socket under a TLS socket: the TLS socket reports them. */
function ignore(): void {
  // Deliberately empty: an unhandled 'error' would crash the process.
}
