// `npm run demo -- dashboard [--sensors N] [--duration S] [--port N]`: an ingest server (`listen`,
// TCP, length-prefixed JSON) fed by simulated sensors, each its own process, aggregated with RxJS;
// prints the aggregate and the server's own statistics once a second. Stops on Ctrl-C or after
// --duration seconds, ending every sensor process and socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { firstValueFrom, mergeMap, ReplaySubject, Subject, takeUntil, timer } from 'rxjs';
import { json, listen, serverStats, type SocketAddress } from 'rxjs-socket';
import { demoArgs } from '../demo-runtime';
import { aggregate, type IngestEvent } from './aggregate';
import { ingestEvents, type SensorReading } from './ingest-events';

export async function dashboardDemo(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, { sensors: { type: 'string' }, duration: { type: 'string' }, port: { type: 'string' } });
  const sensors = Number(values.sensors ?? 20);
  const stats = serverStats({ interval: 1000 });
  const bound = new ReplaySubject<SocketAddress>(1);
  const events = new Subject<IngestEvent>();
  const stopped = new Subject<void>();
  const ingest = listen<SensorReading, never>({ port: Number(values.port ?? 0), codec: json(), onListening: (a) => bound.next(a) })
    .pipe(stats.track, mergeMap((connection) => ingestEvents(connection.messages$)))
    .subscribe(events);
  const address = await firstValueFrom(bound);
  const port = address.family === 'unix' ? 0 : address.port;
  console.log(`ingest on 127.0.0.1:${port}`);
  const children: ChildProcess[] = [];
  for (let i = 1; i <= sensors; i++) {
    children.push(spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'sensor.ts'), String(port), `s${i}`], { stdio: ['ignore', 'inherit', 'inherit'] }));
  }
  console.log(`sensor processes ${children.map((child) => child.pid).join(' ')}`);
  const view = events.pipe(aggregate({ tick: 1000 }), takeUntil(stopped)).subscribe((v) => {
    const s = stats.sample();
    const online = v.sensors.filter((x) => x.online).length;
    console.log(`${online}/${sensors} online, ${v.readingsPerSecond} readings/s; server: ${s.open} open, ${s.messagesIn} messages in, ${s.bytesIn} bytes in, errors ${JSON.stringify(s.errors)}`);
  });
  const exits = children.map((child) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve()))));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (values.duration !== undefined) timer(Number(values.duration) * 1000).pipe(takeUntil(stopped)).subscribe(stop);
  });
  stopped.next();
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(exits);
  view.unsubscribe();
  ingest.unsubscribe();
  console.log('stopped');
  return 0;
}
