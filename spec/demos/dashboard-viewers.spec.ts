// The dashboard's viewers: a viewer that never reads is held back by real TCP backpressure (its
// server-side connection queues bytes and stops being writable, and frames for it are skipped),
// while a viewer that reads goes on getting every frame with nothing queued.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { filter, firstValueFrom, interval, map, NEVER, ReplaySubject, timeout, type Subscription } from 'rxjs';
import { json, type Connection, type Enveloped } from 'rxjs-socket';
import { connectWebSocket } from 'rxjs-socket/websocket';
import type { DashboardView, SensorView } from '../../demos/dashboard/aggregate';
import type { Command, Frame, Push } from '../../demos/dashboard/protocol';
import { slowViewer } from '../../demos/dashboard/slow-viewer';
import { viewerHub, type ViewerHub } from '../../demos/dashboard/viewer-hub';

const figures = { count: 1, mean: 1, min: 1, max: 1 };
const sensor = (i: number, history?: number[]): SensorView => ({ sensor: `s${i}`, online: true, last: 1, lastSeen: 0, window1s: figures, window10s: figures, unsent: 0, missing: 0, history });
const view = (history: boolean): DashboardView => ({
  time: 0,
  sensors: Array.from({ length: 50 }, (_, i) => sensor(i, history ? Array.from({ length: 200 }, () => Math.random()) : undefined)),
  readingsPerSecond: 0,
  badInputPerSecond: {},
  unsent: 0,
  missing: 0,
});

describe('the dashboard viewers', () => {
  let http: Server;
  let hub: ViewerHub;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const lean = view(false);
    const heavy = view(true); // about 200 KB of JSON a frame
    hub = viewerHub({
      server: http,
      path: '/live',
      maxQueuedBytes: 1024 * 1024,
      views$: interval(20).pipe(map(() => lean)),
      historyViews$: interval(20).pipe(map(() => heavy)),
      readings$: NEVER,
      figures: () => ({ ingest: hub.stats.sample(), ingestRestarts: 0, cpu: 0 }),
      handle: () => ({ ok: false, text: 'none here' }),
    });
  });

  afterAll(async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    hub.subscription.unsubscribe();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }, 20_000);

  it('holds back a viewer that never reads, and only that one', async () => {
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/live`;
    const opened = new ReplaySubject<Connection<Push, Enveloped<Command>>>(1);
    subscriptions.push(connectWebSocket<Push, Enveloped<Command>>(url, { codec: { in: json<Push>(), out: json<Enveloped<Command>>() } }).subscribe(opened));
    const reader = await firstValueFrom(opened);
    const frames$ = reader.messages$.pipe(filter((m): m is Frame => m.kind === 'frame'));
    reader.sink.next({ id: 1, body: { op: 'hello', name: 'reader' } });
    subscriptions.push(slowViewer(url));
    const held = await firstValueFrom(
      frames$.pipe(
        filter((frame) => frame.viewerRows.some((row) => row.name.startsWith('slow') && !row.writable && row.skipped > 0)),
        timeout(45_000),
      ),
    );
    const slow = held.viewerRows.find((row) => row.name.startsWith('slow'));
    const me = held.viewerRows.find((row) => row.name === 'reader');
    expect(slow?.queuedBytes).toBeGreaterThan(512 * 1024);
    expect(slow?.queuedBytes).toBeLessThanOrEqual(1024 * 1024 + 256 * 1024); // the bound, or one frame over it
    expect(me).toMatchObject({ writable: true, skipped: 0 });
    expect(me?.queuedBytes).toBeLessThan(64 * 1024);
    expect(held.viewers.open).toBe(2);
  }, 60_000);
});
