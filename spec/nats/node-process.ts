// Spawns spec/nats/fixtures/nats-node.ts as a child process and follows what it reports.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { filter, firstValueFrom, ReplaySubject, skip, take, type Observable } from 'rxjs';
import { acquire, connect, delimiter, json, type Connection } from 'rxjs-socket';

const root = resolve(__dirname, '../..');

/** One line the node printed. */
export interface NodeEvent {
  readonly event: 'listening' | 'status' | 'unsent' | 'ready' | 'error';
  readonly port?: number;
  readonly status?: string;
  readonly n?: number;
  readonly code?: string;
}

export interface NodeProcess {
  readonly events$: Observable<NodeEvent>;
  /** Resolves with the `occurrence`th event (counting from the start, default the first) that passes `test`. */
  next(test: (event: NodeEvent) => boolean, occurrence?: number): Promise<NodeEvent>;
  /** The port of its rxsocket server, once it listens and its NATS connection is up. */
  readonly port: Promise<number>;
  /** Ends the process and waits for it. */
  stop(): Promise<void>;
}

/** Starts a node connected to `url`; `env` adds NODE_ID, RECONNECT_WAIT, SERVE. */
export function startNode(url: string, env: Record<string, string>): NodeProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/nats-node.ts')], {
    cwd: root,
    env: { ...process.env, NATS_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events$ = new ReplaySubject<NodeEvent>();
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    pending += text;
    let end: number;
    while ((end = pending.indexOf('\n')) !== -1) {
      events$.next(JSON.parse(pending.slice(0, end)) as NodeEvent);
      pending = pending.slice(end + 1);
    }
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => events$.complete());
  const next = (test: (event: NodeEvent) => boolean, occurrence = 1): Promise<NodeEvent> =>
    firstValueFrom(events$.pipe(filter(test), skip(occurrence - 1), take(1)));
  const port = Promise.all([next((e) => e.event === 'listening'), next((e) => e.event === 'ready')]).then(([listening]) => listening.port as number);
  return {
    events$,
    next,
    port,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A chat message of the specs. */
export interface Chat {
  room: string;
  n: number;
  from?: string;
  ready?: boolean;
}

/** A client of a node's server, once the node says the server has its room's interest; `close()` releases it. */
export async function chatClient(port: number): Promise<Connection<Chat, Chat>> {
  const { value: connection } = await acquire(connect<Chat, Chat>({ host: '127.0.0.1', port, framing: delimiter(), codec: json() }));
  await firstValueFrom(connection.messages$.pipe(filter((m) => m.ready === true)));
  return connection;
}
