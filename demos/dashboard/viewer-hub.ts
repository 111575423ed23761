// The viewers: pages (and the slow viewer) connected with a WebSocket at /live on the dashboard's
// HTTP server. Each gets a frame every tick, only while its connection is `writable` (a frame
// not sent is skipped: the next one replaces it), so a slow viewer costs bounded memory and
// delays nobody else. Commands come in as `{ id, body }` and are answered by `serveWithIds`.
import type { Server } from 'node:http';
import { from, ignoreElements, merge, mergeMap, Subscription, tap, type Observable } from 'rxjs';
import { connectionStats, json, serverStats, serveWithIds, type Connection, type ConnectionStats, type Enveloped, type ServerStats } from 'rxjs-socket';
import { listenWebSocket } from 'rxjs-socket/websocket';
import type { DashboardView } from './aggregate';
import type { SensorReading } from './ingest-events';
import type { Command, CommandReply, Frame, Push, ViewerRow } from './protocol';

type ViewerConnection = Connection<Enveloped<Command>, Enveloped<CommandReply> | Push>;

interface Viewer {
  readonly id: number;
  readonly connection: ViewerConnection;
  name: string;
  readings: boolean;
  history: boolean;
  skipped: number;
  stats: ConnectionStats | undefined;
}

/** Options of {@link viewerHub}. */
export interface ViewerHubOptions {
  readonly server: Server;
  readonly path: string;
  /** Per viewer: bytes queued at most (writable is false above half of it). */
  readonly maxQueuedBytes: number;
  readonly views$: Observable<DashboardView>;
  /** The same views with each sensor's values of the last 10 s (subscribed only while a viewer asks). */
  readonly historyViews$: Observable<DashboardView>;
  readonly readings$: Observable<SensorReading>;
  /** The rest of a frame, at each view. */
  readonly figures: () => Omit<Frame, 'kind' | 'view' | 'viewers' | 'viewerRows'>;
  readonly handle: (command: Command) => CommandReply | Promise<CommandReply>;
}

/** The viewers' side of the dashboard. */
export interface ViewerHub {
  readonly stats: ServerStats;
  readonly subscription: Subscription;
}

/** Takes viewers on `server` at `path` and feeds them until unsubscribed. */
export function viewerHub(options: ViewerHubOptions): ViewerHub {
  const stats = serverStats({ interval: 1000 });
  const viewers = new Set<Viewer>();
  const subscription = new Subscription();
  let ids = 0;
  let history: DashboardView | null = null;
  let historySubscription: Subscription | null = null;

  const hello = (viewer: Viewer, command: Extract<Command, { op: 'hello' }>): CommandReply => {
    viewer.name = command.name.slice(0, 40);
    viewer.readings = command.readings === true;
    viewer.history = command.history === true;
    if (viewer.history && historySubscription === null) {
      historySubscription = options.historyViews$.subscribe((view) => (history = view));
      subscription.add(historySubscription);
    }
    return { ok: true, text: `viewer ${viewer.id}: ${viewer.name}` };
  };

  const accept = (connection: ViewerConnection): Observable<unknown> => {
    const viewer: Viewer = { id: ++ids, connection, name: 'viewer', readings: false, history: false, skipped: 0, stats: undefined };
    viewers.add(viewer);
    connection.closed$.subscribe(() => viewers.delete(viewer));
    return merge(
      connectionStats(connection, { interval: 250 }).pipe(
        tap((sample) => (viewer.stats = sample)),
        ignoreElements(),
      ),
      from([connection]).pipe(
        serveWithIds<Command, CommandReply, Enveloped<Command>, Enveloped<CommandReply> | Push>(
          (command) => (command.op === 'hello' ? hello(viewer, command) : options.handle(command)),
          { concurrency: 4 },
        ),
      ),
    );
  };

  const rows = (): ViewerRow[] =>
    [...viewers].map(({ id, name, skipped, stats: s }) => ({
      id,
      name,
      skipped,
      queuedBytes: s?.queuedBytes ?? 0,
      writable: s?.writable ?? true,
      messagesOut: s?.messagesOut ?? 0,
      bytesOut: s?.bytesOut ?? 0,
    }));

  const push = (viewer: Viewer, message: Push): void => {
    if (viewer.connection.writable) viewer.connection.sink.next(message);
    else viewer.skipped++;
  };

  subscription.add(
    listenWebSocket<Enveloped<Command>, Enveloped<CommandReply> | Push>({
      server: options.server,
      path: options.path,
      codec: { in: json<Enveloped<Command>>(), out: json<Enveloped<CommandReply> | Push>() },
      maxQueuedBytes: options.maxQueuedBytes,
    })
      .pipe(stats.track, mergeMap(accept))
      .subscribe(),
  );
  subscription.add(
    options.views$.subscribe((view) => {
      const frame: Frame = { kind: 'frame', view, viewers: stats.sample(), viewerRows: rows(), ...options.figures() };
      const withHistory = history === null ? frame : { ...frame, view: history };
      for (const viewer of viewers) push(viewer, viewer.history ? withHistory : frame);
    }),
  );
  subscription.add(
    options.readings$.subscribe((reading) => {
      const message: Push = { kind: 'reading', sensor: reading.sensor, sentAt: reading.sentAt ?? 0 };
      for (const viewer of viewers) if (viewer.readings) push(viewer, message);
    }),
  );
  return { stats, subscription };
}
