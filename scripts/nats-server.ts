// A local nats-server for the NATS specs, the bench and the demo: bound to 127.0.0.1 on a free
// port (`-p -1`, then the port it prints), with its own temp dir; it can be killed and started
// again on the same port, and is stopped by whoever started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where nats-server is: $NATS_SERVER, or Debian's package's /usr/sbin (or /usr/bin). */
export const natsServerPath = process.env.NATS_SERVER ?? ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((path) => existsSync(path)) ?? '/usr/sbin/nats-server';

/** Whether nats-server is installed where {@link natsServerPath} says. */
export const haveNatsServer = existsSync(natsServerPath);

/** A running nats-server. */
export interface NatsServer {
  readonly port: number;
  /** The process id of the server now. */
  readonly pid: number;
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  /** Kills the server (SIGKILL: it goes away without a goodbye) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts clients. */
  restart(): Promise<void>;
  /** Stops it for good and removes its temp dir. */
  stop(): Promise<void>;
}

interface Launched {
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  readonly exited: Promise<void>;
}

function launch(port: number, dir: string): Launched {
  const child = spawn(natsServerPath, ['-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
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
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`nats-server exited (${String(code)}) before it was ready:\n${log}`)));
  });
  return { child, ready, exited };
}

/** Starts nats-server on 127.0.0.1 and a free port; resolves once it accepts clients. */
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
    get pid() {
      return current.child.pid ?? 0;
    },
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
