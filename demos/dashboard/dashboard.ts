// `npm run demo` (or `npm run demo -- dashboard [--sensors N] [--rate R] [--per-process K]
// [--duration S] [--port N] [--nodes N]`; with `--nodes` 2 or more see dashboard-nodes.ts):
// a live dashboard backend. Simulated sensors, each its own process and a `reconnecting` client,
// send readings to an ingest server (`listen`, TCP, length-prefixed JSON); RxJS aggregates them;
// one HTTP server serves the page and, at /live, a WebSocket that pushes frames to every page and
// takes the buttons' commands (`serveWithIds`). Prints `dashboard on http://127.0.0.1:PORT`
// first, then a status line a second; stops on Ctrl-C or after --duration seconds, ending every
// sensor process, socket and timer.
import { filter, map, merge, share, takeUntil, timer, Subject, type Subscription } from 'rxjs';
import { demoArgs, portOf } from '../demo-runtime';
import { aggregate } from './aggregate';
import { dashboardNodes } from './dashboard-nodes';
import { ingestEvents } from './ingest-events';
import { ingestServer } from './ingest-server';
import { nodeReadings } from './node-readings';
import { pageServer } from './page-server';
import type { Command, CommandReply } from './protocol';
import { sensorFleet, type SensorFleet } from './sensor-fleet';
import { slowViewer } from './slow-viewer';
import { viewerHub } from './viewer-hub';

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`bad --${name} ${String(value)}`);
  return n;
}

/** Runs the dashboard until Ctrl-C or --duration; resolves with the exit code. */
export async function dashboardDemo(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, {
    sensors: { type: 'string' },
    rate: { type: 'string' },
    'per-process': { type: 'string' },
    duration: { type: 'string' },
    port: { type: 'string' },
    nodes: { type: 'string' },
    // Given to each node by dashboard-nodes.ts: the NATS server, the node's name, its first sensor.
    nats: { type: 'string' },
    node: { type: 'string' },
    first: { type: 'string' },
  });
  const nodes = Math.floor(positive('nodes', values.nodes, 1));
  const sensors = Math.floor(positive('sensors', values.sensors, 20));
  const duration = values.duration === undefined ? undefined : positive('duration', values.duration, 0);
  if (nodes > 1) return dashboardNodes(values, nodes, sensors, duration);
  const rate = positive('rate', values.rate, 20);
  // NATS first: a node that cannot reach it fails before it opens anything.
  const link = values.nats === undefined ? null : await nodeReadings(values.nats, values.node ?? '1');
  const web = await pageServer(portOf(values.port));
  const ingest = await ingestServer(0);
  link?.publish(ingest.readings$);
  // On a node, every node's readings (from NATS), and this node's bad input.
  const events$ = link === null ? ingest.events$ : merge(ingestEvents(link.readings$), ingest.events$.pipe(filter((e) => e.kind === 'bad-input')));
  /** The sensors, once started (after the page and its WebSocket are ready). */
  const started: { fleet?: SensorFleet } = {};

  const stopped = new Subject<void>();
  const views$ = events$.pipe(aggregate({ tick: 250 }), takeUntil(stopped), share());
  const historyViews$ = events$.pipe(aggregate({ tick: 250, history: true }), takeUntil(stopped));
  const slow: { viewer: Subscription | null } = { viewer: null };
  let cpuAt = { usage: process.cpuUsage(), time: performance.now() };
  const cpu = (): number => {
    const now = { usage: process.cpuUsage(), time: performance.now() };
    const used = now.usage.user + now.usage.system - cpuAt.usage.user - cpuAt.usage.system;
    const percent = now.time > cpuAt.time ? used / 10 / (now.time - cpuAt.time) : 0;
    cpuAt = now;
    return percent;
  };
  const handle = async (command: Command): Promise<CommandReply> => {
    if ('sensor' in command && started.fleet !== undefined && !started.fleet.names.includes(command.sensor)) {
      return { ok: false, text: `${command.sensor} is on another node: use that node's page` };
    }
    switch (command.op) {
      case 'kill':
        return { ok: true, text: started.fleet?.kill(command.sensor) ?? 'the sensors are starting' };
      case 'malformed':
        return { ok: true, text: started.fleet?.malformed(command.sensor) ?? 'the sensors are starting' };
      case 'restart-ingest':
        await ingest.restart(1500);
        return { ok: true, text: `ingest server restarted on port ${ingest.port} after 1.5 s down; sensors reconnect by themselves` };
      case 'slow-viewer':
        if (slow.viewer !== null) return { ok: false, text: 'the slow viewer is already connected' };
        slow.viewer = slowViewer(`ws://127.0.0.1:${web.port}/live`);
        return { ok: true, text: 'slow viewer connected: it never reads, watch its queued bytes and writable' };
      default:
        return { ok: false, text: 'unknown command' };
    }
  };
  const hub = viewerHub({
    server: web.server,
    path: '/live',
    maxQueuedBytes: 1024 * 1024,
    views$,
    historyViews$,
    readings$: link?.readings$ ?? ingest.readings$,
    figures: () => ({ ingest: ingest.stats.sample(), ingestRestarts: ingest.restarts, cpu: cpu() }),
    handle,
  });
  console.log(`dashboard on http://127.0.0.1:${web.port}`);
  console.log(`ingest on 127.0.0.1:${ingest.port}`);
  const fleet = await sensorFleet(ingest.port, sensors, rate, Math.floor(positive('per-process', values['per-process'], 1)), 3000, Math.floor(positive('first', values.first, 1)));
  started.fleet = fleet;
  console.log(`sensor processes ${fleet.pids().join(' ')}`);
  const status = timer(1000, 1000)
    .pipe(takeUntil(stopped), map(() => ingest.stats.sample()))
    .subscribe((s) => {
      console.log(`${s.open} sensors connected; server: ${s.open} open, ${s.messagesIn} messages in, ${s.bytesIn} bytes in, errors ${JSON.stringify(s.errors)}`);
    });

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      process.removeListener('disconnect', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // A node stops with the process that started it, even one killed without a word.
    if (link !== null && process.connected) process.once('disconnect', stop);
    if (duration !== undefined) timer(duration * 1000).pipe(takeUntil(stopped)).subscribe(stop);
  });
  stopped.next();
  status.unsubscribe();
  await fleet.stop();
  slow.viewer?.unsubscribe();
  hub.subscription.unsubscribe();
  ingest.stop();
  await link?.close();
  web.server.closeAllConnections();
  await new Promise<void>((resolve) => web.server.close(() => resolve()));
  console.log('stopped');
  return 0;
}
