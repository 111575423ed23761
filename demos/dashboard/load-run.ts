// `npm run demo -- dashboard-load [--sensors 200] [--rate 20] [--seconds 30] [--per-process 20]`:
// the dashboard under load, measured from outside. Starts the dashboard as its own process, connects
// a measuring viewer (rxjs-socket/websocket) that asks for every reading, waits until every sensor
// is online, then for --seconds records the latency from each reading's send (its `sentAt`, the
// sensor's Date.now()) to its arrival at the viewer, and the dashboard process's CPU (the frames'
// `cpu`: process.cpuUsage() over the frame's interval, in % of one core). Prints p50, p99, max.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { filter, firstValueFrom, map, ReplaySubject, share, takeUntil, timeout, timer, toArray } from 'rxjs';
import { json, type Connection, type Enveloped } from 'rxjs-socket';
import { connectWebSocket } from 'rxjs-socket/websocket';
import { demoArgs } from '../demo-runtime';
import type { Command, Push } from './protocol';

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

/** Runs the load and prints the figures; resolves with the exit code. */
export async function dashboardLoadRun(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, { sensors: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' }, 'per-process': { type: 'string' } });
  const sensors = Number(values.sensors ?? 200);
  const rate = Number(values.rate ?? 20);
  const seconds = Number(values.seconds ?? 30);
  const perProcess = values['per-process'] ?? '20';
  const args = ['--sensors', String(sensors), '--rate', String(rate), '--per-process', perProcess, '--duration', String(seconds + 120)];
  const dashboard = spawn(process.execPath, [join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), join(__dirname, '../index.ts'), 'dashboard', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => dashboard.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      dashboard.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /^dashboard on http:\/\/(\S+)$/m.exec(out)?.[1];
        if (found !== undefined) resolve(found);
      });
      dashboard.once('exit', () => reject(new Error(`the dashboard exited: ${out}`)));
    });
    console.log(`dashboard on http://${url}: ${sensors} sensors at ${rate} readings/s, ${perProcess} per process`);
    // Subscribed until the end (unsubscribing would close the connection).
    const opened = new ReplaySubject<Connection<Push, Enveloped<Command>>>(1);
    const viewer = connectWebSocket<Push, Enveloped<Command>>(`ws://${url}/live`, {
      codec: { in: json<Push>(), out: json<Enveloped<Command>>() },
      heartbeat: false,
    }).subscribe(opened);
    const connection = await firstValueFrom(opened);
    const messages$ = connection.messages$.pipe(
      map((message) => ({ message, at: Date.now() })),
      share(),
    );
    connection.sink.next({ id: 1, body: { op: 'hello', name: 'load-run viewer', readings: true } });
    await firstValueFrom(
      messages$.pipe(
        filter(({ message }) => message.kind === 'frame' && message.view.sensors.filter((s) => s.online).length === sensors && message.ingest.open === sensors),
        timeout(180_000),
      ),
    );
    console.log(`all ${sensors} sensors online; measuring for ${seconds} s`);
    const received = await firstValueFrom(messages$.pipe(takeUntil(timer(seconds * 1000)), toArray()));
    viewer.unsubscribe();
    const latencies = received.flatMap(({ message, at }) => (message.kind === 'reading' ? [at - message.sentAt] : [])).sort((a, b) => a - b);
    const cpu = received.flatMap(({ message }) => (message.kind === 'frame' ? [message.cpu] : []));
    const meanCpu = cpu.reduce((sum, c) => sum + c, 0) / cpu.length;
    console.log(`readings received: ${latencies.length} (${Math.round(latencies.length / seconds)}/s)`);
    console.log(`latency sensor send -> viewer: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms`);
    console.log(`dashboard CPU: mean ${meanCpu.toFixed(1)} % of one core (max frame ${Math.max(...cpu).toFixed(0)} %)`);
    const rows = received.flatMap(({ message }) => (message.kind === 'frame' ? message.viewerRows.filter((row) => row.name === 'load-run viewer') : []));
    const maxQueued = Math.max(...rows.map((row) => row.queuedBytes));
    console.log(`this viewer on the server: at most ${maxQueued} bytes queued, not writable in ${rows.filter((row) => !row.writable).length} of ${rows.length} frames, ${rows[rows.length - 1]?.skipped ?? 0} frames skipped`);
    return 0;
  } finally {
    dashboard.kill('SIGTERM');
    await exited;
  }
}
