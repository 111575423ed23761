import { asyncScheduler, Observable, Subject, type SchedulerLike } from 'rxjs';
import { raw } from '../../codec/raw';
import type { Connection, SocketAddress } from '../../connection/connection';
import { listen } from '../../connection/listen';
import { broadcast } from '../../connection/broadcast';
import { packetsocketFraming } from '../../framing/presets';
import { DEFAULT_MAX_QUEUED_BYTES } from '../../constants';
import { pacedConnection } from './paced-connection';
import { resolvePacing, type PacketPacing } from './packet-pacing';

/** One connected client of a packetsocket server. */
export interface PacketClient {
  /** Sequence number, in order of arrival (from 1). */
  readonly id: number;
  /** Its connection. */
  readonly connection: Connection<Uint8Array, Uint8Array>;
}

/** A packet received by the server, tagged with the client it came from. */
export interface TaggedPacket {
  /** The client that sent it. */
  readonly client: PacketClient;
  /** The packet's body, without its 8-byte prefix. */
  readonly data: Uint8Array;
}

/** A running packetsocket server. */
export interface PacketServer {
  /** Every packet from every client, tagged with its sender. */
  readonly packets$: Observable<TaggedPacket>;
  /** Clients as they connect. */
  readonly clients$: Observable<PacketClient>;
  /** Clients connected now. */
  readonly clients: readonly PacketClient[];
  /** Sends `data` to `targets`, or to every connected client (the sender included) by default. */
  write(data: Uint8Array | string, targets?: readonly PacketClient[]): void;
}

/** Options of {@link packetsocketServer}. */
export interface PacketsocketServerOptions {
  /** Address to bind. Default `'127.0.0.1'`. */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Called with the bound address. */
  onListening?: (address: SocketAddress) => void;
  /** A packet each new client gets first. */
  greet?: Uint8Array | string;
  /**
   * How packets to each client are spaced, for the original receiver (which loses two packets
   * that meet in one read). Default `DEFAULT_PACKET_PACING`; `false` sends at once, for clients
   * that frame properly (rxsocket's own).
   */
  pacing?: PacketPacing | false;
  /** Outgoing bytes queued per client (waiting for pacing, or behind a slow client) before that client fails with QueueOverflowError. Default 32 MiB. */
  maxQueuedBytes?: number;
  /** Skip a bad prefix instead of dropping the client. Default false: a bad prefix drops that client. */
  resync?: boolean;
  /** Scheduler of the pacing and every timer. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Clients connected at once; more are refused. Default unlimited. A broadcast goes to each of them. */
  maxConnections?: number;
  /** Largest packet body received or sent. Default 16 MiB. */
  maxPacketBytes?: number;
}

const bytes = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

/**
 * A packetsocket server: `#!?&` + u32 LE length packets, any number of clients, packets tagged
 * with their sender, writes broadcast by default or targeted (framed once for every client, with `broadcast`, when
 * pacing is off; paced clients each take the packet through their own pacing). A client that disconnects (or
 * sends garbage) is dropped; the rest are served on. Each packet goes out in one write, and by
 * default packets to one client are paced (see `DEFAULT_PACKET_PACING`) for the original
 * receiver's sake. Each client's `connection` is paced the same way.
 *
 * @example
 * ```ts
 * packetsocketServer({ port: 0 }).subscribe((server) => {
 *   server.packets$.subscribe(({ data }) => server.write(data)); // broadcast every packet
 * });
 * ```
 */
export function packetsocketServer(options: PacketsocketServerOptions): Observable<PacketServer> {
  const pacing = resolvePacing(options.pacing);
  const scheduler = options.scheduler ?? asyncScheduler;
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  return new Observable<PacketServer>((subscriber) => {
    const packets = new Subject<TaggedPacket>();
    const arrivals = new Subject<PacketClient>();
    const clients = new Set<PacketClient>();
    let next = 1;
    const server: PacketServer = {
      packets$: packets.asObservable(),
      clients$: arrivals.asObservable(),
      get clients() {
        return [...clients];
      },
      write(data, targets) {
        const recipients: Connection<Uint8Array, Uint8Array>[] = [];
        for (const client of targets ?? clients) if (clients.has(client)) recipients.push(client.connection);
        broadcast(recipients, bytes(data));
      },
    };
    const listening = listen<Uint8Array>({
      host: options.host,
      port: options.port,
      onListening: (address) => {
        options.onListening?.(address);
        subscriber.next(server);
      },
      framing: packetsocketFraming({ badMagic: options.resync === true ? 'resync' : 'error', maxFrameBytes: options.maxPacketBytes }),
      codec: raw(),
      maxQueuedBytes,
      scheduler,
      maxConnections: options.maxConnections,
    }).subscribe({
      next: (accepted) => {
        const connection = pacing === null ? accepted : pacedConnection(accepted, { pacing, scheduler, maxQueuedBytes });
        const client: PacketClient = { id: next++, connection };
        clients.add(client);
        connection.closed$.subscribe(() => clients.delete(client));
        if (options.greet !== undefined) connection.sink.next(bytes(options.greet));
        arrivals.next(client);
        connection.messages$.subscribe({ next: (data) => packets.next({ client, data }), error: () => undefined });
      },
      error: (error: unknown) => subscriber.error(error),
    });
    return () => {
      listening.unsubscribe();
      packets.complete();
      arrivals.complete();
    };
  });
}
