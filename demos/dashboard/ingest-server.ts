// The ingest server: `listen` (TCP, length-prefixed JSON) on one port, every connection counted by
// `serverStats`, every reading passed on as an ingest event. It can be restarted: stopped (every
// sensor connection closes), then listening again on the same port after a pause.
import { firstValueFrom, ReplaySubject, Subject, tap, type Observable, type Subscription } from 'rxjs';
import { json, listen, serverStats, type ServerStats, type SocketAddress } from 'rxjs-socket';
import type { IngestEvent } from './aggregate';
import { ingestEvents, type SensorReading } from './ingest-events';

/** A restartable ingest server. */
export interface IngestServer {
  readonly port: number;
  /** Every reading and bad input, across restarts. */
  readonly events$: Observable<IngestEvent>;
  /** Every reading as received (for the send-to-viewer latency). */
  readonly readings$: Observable<SensorReading>;
  /** Statistics of every connection it took, across restarts. */
  readonly stats: ServerStats;
  /** How many times it was restarted. */
  readonly restarts: number;
  /** Stops listening, closing every connection; listens again `pause` ms later. */
  restart(pause?: number): Promise<void>;
  stop(): void;
}

/** Starts the ingest server on `port` (0: a free one) and resolves once it listens. */
export async function ingestServer(port: number): Promise<IngestServer> {
  const stats = serverStats({ interval: 1000 });
  const events = new Subject<IngestEvent>();
  const readings = new Subject<SensorReading>();
  let subscription: Subscription | null = null;
  let restarts = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const start = async (on: number): Promise<number> => {
    const bound = new ReplaySubject<SocketAddress>(1);
    // Each connection is read by a subscription of its own, not torn down with the server's: when
    // the server stops, every connection closes gracefully (our FIN goes out) and what the sensor
    // wrote before it saw that FIN is still read, so a restart loses only what the sensors could
    // not send, which their unsent$ reports.
    subscription = listen<SensorReading, never>({ port: on, codec: json(), onListening: (address) => bound.next(address) })
      .pipe(stats.track)
      .subscribe({
        next: (connection) => {
          ingestEvents(connection.messages$.pipe(tap((reading) => readings.next(reading)))).subscribe((event) => events.next(event));
        },
        error: (error: unknown) => events.error(error),
      });
    const address = await firstValueFrom(bound);
    return address.family === 'unix' ? 0 : address.port;
  };
  const bound = await start(port);
  return {
    port: bound,
    events$: events.asObservable(),
    readings$: readings.asObservable(),
    stats,
    get restarts() {
      return restarts;
    },
    restart: async (pause = 1500) => {
      if (stopped) return;
      restarts++;
      subscription?.unsubscribe();
      await new Promise<void>((resolve) => (timer = setTimeout(resolve, pause)));
      if (!stopped) await start(bound);
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      subscription?.unsubscribe();
      events.complete();
      readings.complete();
    },
  };
}
