// `npm run demo -- dashboard --nodes 2`: a local nats-server, two ingest nodes as processes with
// the sensors split between them; a viewer on either node's page sees every sensor, with the
// node that took it in, and the demo ends every node, sensor and the nats-server when stopped.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { filter, firstValueFrom, ReplaySubject, timeout } from 'rxjs';
import { acquire, json, type Enveloped } from 'rxjs-socket';
import { connectWebSocket } from 'rxjs-socket/websocket';
import type { Command, Frame, Push } from '../../demos/dashboard/protocol';
import { alive } from '../helpers/processes';
import { describeWithNats, sayNatsSkipped } from '../nats/nats-harness';

const root = resolve(__dirname, '../..');

sayNatsSkipped('spec/demos/dashboard-nodes.spec.ts: SKIPPED (the dashboard across nodes)');

/** Whether every sensor of a frame is online, has readings in the last second and came in on the node it was started on. */
function everySensorFromItsNode(frame: Frame, expected: Record<string, string>): boolean {
  const names = Object.keys(expected);
  return (
    frame.view.sensors.length === names.length &&
    frame.view.sensors.every((s) => s.online && s.window1s.count > 0 && s.node === expected[s.sensor])
  );
}

describeWithNats('npm run demo -- dashboard --nodes 2', () => {
  const releases: Array<() => void> = [];
  afterAll(() => releases.forEach((release) => release()));

  it("shows every sensor on each node's page, whichever node took it in, and stops everything", async () => {
    // Node with tsx's loader (not tsx's CLI, which runs the demo in a child): `demo` is the launcher itself.
    const demo = spawn(process.execPath, ['--import', 'tsx', 'demos/index.ts', 'dashboard', '--nodes', '2', '--sensors', '4', '--duration', '90'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => demo.once('exit', (code) => done(code)));
    let stdout = '';
    const lines$ = new ReplaySubject<string>();
    demo.stdout.setEncoding('utf8');
    demo.stdout.on('data', (text: string) => {
      const start = stdout.lastIndexOf('\n') + 1;
      stdout += text;
      for (const line of stdout.slice(start).split('\n').slice(0, -1)) lines$.next(line);
    });
    try {
      const line = (pattern: RegExp): Promise<RegExpExecArray> =>
        firstValueFrom(lines$.pipe(filter((l) => pattern.test(l)), timeout(60_000))).then((l) => pattern.exec(l) as RegExpExecArray);
      const first = await line(/^dashboard on (http:\/\/127\.0\.0\.1:\d+)$/);
      const node1 = await line(/^node 1 on (\S+), sensors s1-s2, pid (\d+)$/);
      const node2 = await line(/^node 2 on (\S+), sensors s3-s4, pid (\d+)$/);
      expect(node1[1]).toBe(first[1]);
      expect(node2[1]).not.toBe(node1[1]);
      const expected = { s1: '1', s2: '1', s3: '2', s4: '2' };
      for (const page of [node1[1], node2[1]]) {
        const url = `${(page as string).replace('http://', 'ws://')}/live`;
        const { value: viewer, release } = await acquire(connectWebSocket<Push, Enveloped<Command>>(url, { codec: { in: json<Push>(), out: json<Enveloped<Command>>() } }));
        releases.push(release);
        const frame = await firstValueFrom(
          viewer.messages$.pipe(
            filter((m): m is Frame => m.kind === 'frame' && everySensorFromItsNode(m, expected)),
            timeout(45_000),
          ),
        );
        // The ingest counts of this node's own server: only its own sensors connect to it.
        expect(frame.ingest.open).toBe(2);
        release();
      }
      const nats = Number((await line(/^nats on \S+ \(nats-server pid (\d+)\)$/))[1]);
      const sensors = (await Promise.all([line(/^node 1: sensor processes (.+)$/), line(/^node 2: sensor processes (.+)$/)])).flatMap((m) => (m[1] as string).split(' ').map(Number));
      expect(sensors).toHaveLength(4);
      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout.trim().endsWith('stopped')).toBe(true);
      for (const pid of [nats, Number(node1[2]), Number(node2[2]), ...sensors]) expect(alive(pid)).toBe(false);
    } finally {
      // On a failure: the launcher stops its nodes and nats-server on SIGTERM; SIGKILL if it hangs.
      if (demo.exitCode === null && demo.signalCode === null) {
        demo.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 20_000).unref())]);
        demo.kill('SIGKILL');
      }
    }
  }, 150_000);
});
