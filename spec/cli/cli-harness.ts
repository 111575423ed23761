// Runs rxsocket commands in-process with in-memory standard streams and a Subject of signals.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { Subject } from 'rxjs';
import type { CliIo } from '../../lib/cli/cli-io';
import { main } from '../../lib/cli/main';

/** A Writable that keeps what is written, and can wait for text to show up. */
export class Capture extends Writable {
  text = '';
  /** While stalled, a write is held (like a pipe to a consumer that does not read). */
  private stalled = false;
  private held: (() => void) | null = null;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += String(chunk);
    this.emit('update');
    if (this.stalled) this.held = () => callback();
    else callback();
  }

  /** Holds every write from now on, until {@link release}. */
  stall(): void {
    this.stalled = true;
  }

  /** Lets writes through again. */
  release(): void {
    this.stalled = false;
    const held = this.held;
    this.held = null;
    held?.();
  }

  /** Resolves with the first match of `pattern` in everything written, as soon as there is one. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve) => {
      const check = (): void => {
        const match = pattern.exec(this.text);
        if (match === null) return;
        this.removeListener('update', check);
        resolve(match);
      };
      this.on('update', check);
      check();
    });
  }

  /** The lines written so far. */
  lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}

/** A command running in-process. */
export interface RunningCommand {
  readonly stdin: PassThrough;
  readonly stdout: Capture;
  readonly stderr: Capture;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
  /** Sends a stop signal. */
  signal(name?: string): void;
}

/** The fixed clock of proxy log lines in tests. */
export const FIXED_TIME = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));

const running = new Set<RunningCommand>();

/** Starts `rxsocket ...argv` in-process; {@link stopAll} (in afterEach) ends whatever is left. */
export function runCli(argv: readonly string[]): RunningCommand {
  const stdin = new PassThrough();
  const stdout = new Capture();
  const stderr = new Capture();
  const signals = new Subject<string>();
  const io: CliIo = { stdin, stdout, stderr, signals$: signals, now: () => FIXED_TIME };
  const exited = main(argv, io).finally(() => running.delete(command));
  const command: RunningCommand = { stdin, stdout, stderr, exited, signal: (name = 'SIGINT') => signals.next(name) };
  running.add(command);
  return command;
}

/** Stops every command still running (a second signal destroys whatever did not close) and waits for it. */
export async function stopAll(): Promise<void> {
  const left = [...running];
  for (const command of left) {
    command.signal();
    command.signal();
    command.stdin.end();
  }
  await Promise.all(left.map((command) => command.exited));
}

/** The port of a `listening on 127.0.0.1:PORT` line on stderr, once it is there. */
export async function listeningPort(command: RunningCommand): Promise<number> {
  const [, port] = await command.stderr.waitFor(/listening on 127\.0\.0\.1:(\d+)/);
  return Number(port);
}

/** Resolves once `socket` has received at least `count` bytes, with everything received so far. */
export function receive(socket: Socket, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      total += chunk.length;
      if (total < count) return;
      socket.removeListener('data', onData);
      socket.removeListener('error', reject);
      resolve(Buffer.concat(chunks));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** A plain node:net server on 127.0.0.1, port 0, handing each accepted socket to `onSocket`. */
export async function netServer(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : -1;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { server, port, close };
}

/** Writes each chunk as its own write and waits until all are handed to the kernel. */
export async function writeChunks(socket: Socket, chunks: readonly Uint8Array[]): Promise<void> {
  for (const chunk of chunks) await new Promise<void>((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve())));
}

/**
 * Writes `count` copies of `frame` to `socket` as fast as it takes them, and resolves with how many
 * it wrote once it stops taking more (the command stopped reading it) or all are written.
 */
export async function floodUntilBlocked(socket: Socket, frame: Buffer, count: number): Promise<number> {
  let written = 0;
  const more = (): void => {
    while (written < count) {
      written++;
      if (!socket.write(frame)) return void socket.once('drain', more);
    }
  };
  more();
  for (let last = -1, still = 0; written < count && still < 300; still = written === last ? still + 1 : 0, last = written) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}

/**
 * Starts `rxsocket ...argv` with a stdout that takes nothing, connects a client and floods it with
 * 256 frames of 64 KiB (16 MiB). Resolves with how many frames the client could write and the
 * lines stdout was given; releases stdout and closes the client afterwards.
 */
export async function floodBehindStalledStdout(argv: readonly string[]): Promise<{ written: number; lines: number }> {
  const command = runCli(argv);
  const port = await listeningPort(command);
  command.stdout.stall();
  const socket = createConnection({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const frame = Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(1 << 16, 7)]);
  const written = await floodUntilBlocked(socket, frame, 256);
  const lines = command.stdout.lines().length;
  command.stdout.release();
  socket.destroy();
  return { written, lines };
}
