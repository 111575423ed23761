// `npm run demo -- dashboard --nodes N [--sensors S] [--rate R] [--per-process K] [--duration S]
// [--port N]`: the dashboard across N ingest nodes. A local nats-server is started (unless NATS_URL
// names one), then N nodes, each its own process running the dashboard with its own ingest port,
// page and share of the sensors (node 1: s1.., node 2: the next ones...). Each node publishes the
// readings it takes in on NATS and aggregates every node's, so any node's page shows every sensor.
// Prints `dashboard on http://127.0.0.1:PORT` (node 1's page) first, then each node's line; stops
// every node (and so every sensor) and the nats-server on Ctrl-C or after --duration seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { haveNatsServer, natsServerPath, startNatsServer, type NatsServer } from '../../scripts/nats-server';

const root = resolve(__dirname, '../..');

interface Node {
  readonly name: string;
  readonly child: ChildProcess;
  readonly sensors: string;
  /** Resolves with the node's page URL once it prints it. */
  readonly url: Promise<string>;
  readonly exited: Promise<void>;
  /** From now on, passes its lines on (those printed so far first), each after `node <name>: `. */
  follow(): void;
}

function startNode(name: string, url: string, first: number, count: number, passed: string[]): Node {
  // detached: its own process group, so a Ctrl-C in the terminal reaches only this launcher, which
  // then stops each node once (a second signal would end a node before it stopped its sensors).
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'demos/index.ts'), 'dashboard', '--nats', url, '--node', name, '--first', String(first), '--sensors', String(count), ...passed], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let pending = '';
  let held: string[] | null = [];
  const say = (line: string): void => console.log(`node ${name}: ${line}`);
  let found: (url: string) => void = () => undefined;
  const node: Node = {
    name,
    child,
    sensors: count === 1 ? `s${first}` : `s${first}-s${first + count - 1}`,
    url: new Promise<string>((done, fail) => {
      found = done;
      void exited.then(() => fail(new Error(`node ${name} exited before it served its page`)));
    }),
    exited,
    follow() {
      for (const line of held ?? []) say(line);
      held = null;
    },
  };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    pending += text;
    let end: number;
    while ((end = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      const page = /^dashboard on (\S+)$/.exec(line);
      if (page !== null) found(page[1] as string);
      else if (held === null) say(line);
      else held.push(line);
    }
  });
  return node;
}

/** The dashboard's options the launcher reads (parsed once, by `dashboardDemo`). */
export interface NodesArgs {
  readonly rate?: string;
  readonly 'per-process'?: string;
  readonly port?: string;
}

/** Runs the dashboard on `count` nodes until Ctrl-C or --duration; resolves with the exit code. */
export async function dashboardNodes(values: NodesArgs, count: number, sensors: number, duration: number | undefined): Promise<number> {
  if (!(sensors >= count)) throw new Error(`--sensors ${sensors}: at least one sensor per node (--nodes ${count})`);
  let server: NatsServer | null = null;
  const url = process.env.NATS_URL;
  if (url === undefined) {
    if (!haveNatsServer) throw new Error(`--nodes needs NATS: no nats-server at ${natsServerPath} (apt-get install nats-server, or set NATS_SERVER), and no NATS_URL`);
    server = await startNatsServer();
  }
  const natsUrl = url ?? (server as NatsServer).url;
  const passed = (['rate', 'per-process'] as const).flatMap((option) => (values[option] === undefined ? [] : [`--${option}`, String(values[option])]));
  const nodes: Node[] = [];
  let first = 1;
  for (let i = 0; i < count; i++) {
    const share = Math.floor(sensors / count) + (i < sensors % count ? 1 : 0);
    const port = i === 0 && values.port !== undefined ? ['--port', values.port] : [];
    nodes.push(startNode(String(i + 1), natsUrl, first, share, [...passed, ...port]));
    first += share;
  }
  const stopNodes = async (): Promise<void> => {
    for (const node of nodes) if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
    await Promise.all(nodes.map((node) => node.exited));
    await server?.stop();
  };
  let urls: string[];
  try {
    urls = await Promise.all(nodes.map((node) => node.url));
  } catch (error) {
    await stopNodes();
    throw error;
  }
  console.log(`dashboard on ${urls[0] as string}`);
  console.log(`nats on ${natsUrl}${server === null ? ' (NATS_URL)' : ` (nats-server pid ${server.pid})`}`);
  nodes.forEach((node, i) => {
    console.log(`node ${node.name} on ${urls[i] as string}, sensors ${node.sensors}, pid ${String(node.child.pid)}`);
  });
  for (const node of nodes) node.follow();

  await new Promise<void>((done) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      clearTimeout(timer);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (duration !== undefined) timer = setTimeout(stop, duration * 1000);
    // A node that ends by itself ends the demo.
    for (const node of nodes) void node.exited.then(stop);
  });
  await stopNodes();
  console.log('stopped');
  return 0;
}
