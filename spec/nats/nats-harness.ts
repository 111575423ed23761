// A real nats-server for the NATS specs: started on 127.0.0.1 and a free port (`-p -1`, then the
// port it printed) with its own temp dir, restartable on the same port, stopped by the spec.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';

/** Debian's package installs it in /usr/sbin; NATS_SERVER names another. */
export const natsServerPath = process.env.NATS_SERVER ?? ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((path) => existsSync(path)) ?? '/usr/sbin/nats-server';
export const haveNatsServer = existsSync(natsServerPath);

/** Says once, from the spec that owns the message, that the NATS specs are skipped and why. */
export function sayNatsSkipped(): void {
  if (!haveNatsServer) {
    process.stderr.write(
      `spec/nats/*.spec.ts: SKIPPED (every NATS test), no nats-server at ${natsServerPath} (apt-get install nats-server, or set NATS_SERVER)\n`,
    );
  }
}

/** `describe` when nats-server is installed, `describe.skip` otherwise. */
export const describeWithNats = haveNatsServer ? describe : describe.skip;

export interface NatsServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL: it goes away without a goodbye) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts clients. */
  restart(): Promise<void>;
  /** Stops it for good and removes its temp dir. */
  stop(): Promise<void>;
}

function launch(port: number, dir: string): { child: ChildProcess; ready: Promise<number>; exited: Promise<void> } {
  const child = spawn(natsServerPath, ['-a', '127.0.0.1', '-p', String(port), '-sd', dir, '--ports_file_dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<number>((resolve, reject) => {
    let log = '';
    let bound = 0;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      log += text;
      const listening = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(log);
      if (listening !== null) bound = Number(listening[1]);
      if (bound !== 0 && log.includes('Server is ready')) resolve(bound);
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${String(code)}) before it was ready:\n${log}`)));
  });
  return { child, ready, exited };
}

/** Starts nats-server on 127.0.0.1 and a free port. */
export async function startNatsServer(): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rxsocket-nats-'));
  let current = launch(-1, dir);
  const port = await current.ready;
  const kill = async (): Promise<void> => {
    current.child.kill('SIGKILL');
    await current.exited;
  };
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    kill,
    async restart() {
      current = launch(port, dir);
      await current.ready;
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client of the test server that keeps reconnecting (every `wait` ms) while the server is away. */
export function natsClient(server: NatsServer, options: NodeConnectionOptions = {}): Promise<NatsConnection> {
  return connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, ...options });
}
