// End to end: the real process (lib/cli/run.ts through tsx), its signals, streams and exit codes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { rawClient, readAll } from '../helpers/loopback';
import { Capture, netServer, receive } from './cli-harness';

const root = resolve(__dirname, '..', '..');

interface Spawned {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: Capture;
  readonly stderr: Capture;
  readonly exited: Promise<number | null>;
}

const children = new Set<Spawned>();
const cleanup: Array<() => Promise<void> | void> = [];

/** `rxsocket ...args` as a child process: node with tsx's loader, running lib/cli/run.ts. */
function spawnCli(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'lib/cli/run.ts'), ...args], { cwd: root, stdio: 'pipe' });
  const stdout = new Capture();
  const stderr = new Capture();
  child.stdout.pipe(stdout);
  child.stderr.pipe(stderr);
  child.on('error', () => undefined);
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const spawned = { child, stdout, stderr, exited };
  children.add(spawned);
  void exited.then(() => children.delete(spawned));
  return spawned;
}

afterEach(async () => {
  const left = [...children];
  for (const { child } of left) child.kill('SIGKILL');
  await Promise.all(left.map(({ exited }) => exited));
  for (const step of cleanup.splice(0)) await step();
});

describe('the rxsocket process', () => {
  it('listens, echoes, and exits 0 with a summary on SIGINT', async () => {
    const cli = spawnCli(['listen', '--framing', 'lines', '--echo']);
    const [, port] = await cli.stderr.waitFor(/^listening on 127\.0\.0\.1:(\d+)\n/);
    const socket: Socket = await rawClient(Number(port));
    socket.on('error', () => undefined);
    cleanup.push(() => void socket.destroy());
    const echoed = receive(socket, 6);
    socket.write('hello\n');
    expect((await echoed).toString()).toBe('hello\n');
    await cli.stdout.waitFor(/hello\n/);
    const closed = readAll(socket);
    cli.child.kill('SIGINT');
    await closed;
    await expect(cli.exited).resolves.toBe(0);
    expect(cli.stdout.text).toBe('hello\n');
    expect(cli.stderr.lines().at(-1)).toBe('summary: received 1 message (6 bytes), sent 1 message (6 bytes)');
  }, 8_000);

  it('connects, sends its stdin, prints the replies, and exits 0 once both sides ended', async () => {
    const target = await netServer((socket) => {
      void readAll(socket).then((bytes) => socket.end(`got ${bytes.length} bytes\n`));
    });
    cleanup.push(target.close);
    const cli = spawnCli(['connect', '--port', String(target.port), '--framing', 'lines']);
    cli.child.stdin.end('one\ntwo\n');
    await expect(cli.exited).resolves.toBe(0);
    expect(cli.stdout.text).toBe('got 8 bytes\n');
    expect(cli.stderr.lines().at(-1)).toBe('summary: sent 2 messages (8 bytes), received 1 message (12 bytes)');
  }, 8_000);

  it('exits 2 on a bad framing, saying what it expects', async () => {
    const cli = spawnCli(['proxy', '--target', '127.0.0.1:9', '--framing', 'length:3']);
    await expect(cli.exited).resolves.toBe(2);
    expect(cli.stderr.text).toBe(
      "rxsocket: option --framing must be length:N[:le|be][:incl] with N one of 1, 2, 4, 8, got length:3\n" +
        "Run 'rxsocket proxy --help' for usage.\n",
    );
  }, 8_000);
});
