import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Observable } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Connection, SocketAddress } from '../connection/connection';
import { addressesOf } from '../connection/socket-address';
import { InvalidOptionError } from '../errors';
import { originAllowed, refusalOf, refuseUpgrade, type AuthorizeResult, type OriginPolicy } from './upgrade-gate';
import { WebSocketConnection } from './websocket-connection';
import { resolveWebSocketOptions, type WebSocketConnectionOptions } from './websocket-options';

/** Options of {@link listenWebSocket}: its own port, or an existing HTTP(S) server at a `path`. */
export interface ListenWebSocketOptions<In = Uint8Array, Out = In> extends WebSocketConnectionOptions<In, Out> {
  /** Own port to listen on (0 picks a free one, learn it from `onListening`). */
  port?: number;
  /** Address to bind with `port`. Default `'127.0.0.1'` (loopback only). */
  host?: string;
  /** An existing `http.Server` or `https.Server` to take upgrades from (one port for a page and its data). */
  server?: HttpServer | HttpsServer;
  /** Only upgrades to this path (`'/live'`); others are left to the server's other `'upgrade'` listeners. Default: any path. */
  path?: string;
  /** Called once the own port is bound, with its address. */
  onListening?: (address: SocketAddress) => void;
  /**
   * Accept per-message deflate when a client offers it. Default false: compression costs every
   * connection tens of KiB of zlib state and CPU on every message, and compressing secrets beside
   * attacker-chosen text leaks them (CRIME/BREACH).
   */
  perMessageDeflate?: boolean;
  /** Page origins allowed to connect. Default: no `Origin` header, or the server's own origin. */
  origins?: OriginPolicy;
  /**
   * Decides whether an upgrade request may connect (cookies, tokens in the URL, ...): `true`
   * accepts, `false` refuses with 401, a number refuses with that status (403, 429...). May return a
   * promise; throwing or rejecting refuses with 500. Runs after the origin check.
   */
  authorize?: (request: IncomingMessage) => AuthorizeResult | PromiseLike<AuthorizeResult>;
}

function pathOf(url: string | undefined): string {
  const at = (url ?? '/').indexOf('?');
  return at === -1 ? (url ?? '/') : (url ?? '/').slice(0, at);
}

/**
 * A cold Observable of the WebSocket connections a server accepts, each a {@link Connection} with
 * the same contract as TCP ones (read ahead up to `maxHeldBytes` until `messages$` is subscribed). Subscribing starts
 * listening, on its own port or on `server`; unsubscribing stops taking upgrades, closes every
 * connection gracefully (close code 1000, destroyed after `closeTimeout`) and closes its own port
 * (never a `server` it was given). Upgrades from foreign origins, or refused by `authorize`, are
 * answered with an HTTP error status and never become connections.
 *
 * @example
 * ```ts
 * listenWebSocket({ port: 0, codec: json(), onListening: ({ port }) => console.log(port) })
 *   .pipe(mergeMap((connection) => connection.messages$.pipe(tap(connection.sink))))
 *   .subscribe();
 * ```
 */
export function listenWebSocket<In = Uint8Array, Out = In>(options: ListenWebSocketOptions<In, Out>): Observable<Connection<In, Out>> {
  const settings = resolveWebSocketOptions(options);
  if ((options.server === undefined) === (options.port === undefined)) {
    throw new InvalidOptionError('port', options.port, 'a port, or a server instead (not both)');
  }
  return new Observable<Connection<In, Out>>((subscriber) => {
    const own = options.server === undefined;
    const server: HttpServer | HttpsServer =
      options.server ??
      createServer((_request, response) => {
        response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
        response.end('WebSocket only');
      });
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: settings.maxFrameBytes,
      perMessageDeflate: options.perMessageDeflate ?? false,
    });
    const connections = new Set<WebSocketConnection<In, Out>>();
    let stopped = false;

    const accept = (ws: WebSocket, request: IncomingMessage): void => {
      if (stopped) return ws.terminate();
      const connection = new WebSocketConnection<In, Out>(ws, settings, () => addressesOf(request.socket));
      connections.add(connection);
      connection.closed$.subscribe(() => connections.delete(connection));
      subscriber.next(connection);
    };

    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (options.path !== undefined && pathOf(request.url) !== options.path) {
        if (own) refuseUpgrade(socket, 404);
        return;
      }
      socket.on('error', ignore);
      if (!originAllowed(options.origins, request)) return refuseUpgrade(socket, 403);
      const authorize = options.authorize;
      if (authorize === undefined) return wss.handleUpgrade(request, socket, head, accept);
      new Promise<AuthorizeResult>((resolve) => resolve(authorize(request)))
        .then(refusalOf, () => 500)
        .then((status) => {
          if (stopped) socket.destroy();
          else if (status !== null) refuseUpgrade(socket, status);
          else wss.handleUpgrade(request, socket, head, accept);
        })
        .catch((error: unknown) => subscriber.error(error));
    };

    server.on('upgrade', onUpgrade);
    if (own) {
      server.once('error', (error) => subscriber.error(error));
      server.listen({ host: options.host ?? '127.0.0.1', port: options.port }, () => {
        const info = server.address() as AddressInfo;
        try {
          options.onListening?.({ family: info.family === 'IPv6' ? 'IPv6' : 'IPv4', address: info.address, port: info.port });
        } catch (error) {
          subscriber.error(error);
        }
      });
    }

    return () => {
      stopped = true;
      server.removeListener('upgrade', onUpgrade);
      wss.close();
      for (const connection of connections) connection.close();
      if (own) {
        server.on('error', ignore);
        server.close();
        server.closeAllConnections();
      }
    };
  });
}

/** Errors of sockets nobody listens to any more (refused upgrades, a closing server). */
function ignore(): void {
  // Deliberately empty: an unhandled 'error' would crash the process.
}
