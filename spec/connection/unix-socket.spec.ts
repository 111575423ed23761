import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { connect, json, lengthPrefix, listen, SocketPathTooLongError } from 'rxjs-socket';
import { maxSocketPathBytes } from '../../lib/connection/unix-socket-path';
import { rejection, TransportHarness } from './transport-harness';

interface Message {
  readonly from: string;
  readonly n: number;
}

const framing = lengthPrefix();
const codec = json<Message>();

/** A plain net.Server listening on `path`, and every socket it accepted (for cleanup). */
async function otherServer(path: string): Promise<{ server: Server; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    accepted.push(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return { server, accepted };
}

/** Connects a plain socket to `path`, resolving once connected. */
function rawConnect(path: string): Promise<Socket> {
  const socket = createConnection({ path });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Destroys `socket` and resolves once it has closed. */
function destroyed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) return resolve();
    socket.once('close', () => resolve());
    socket.destroy();
  });
}

/**
 * Leaves a stale socket file at `path`: a child process listens on it and is SIGKILLed, so it
 * never gets to unlink the file and nobody accepts on it any more.
 */
async function staleSocketFile(path: string): Promise<void> {
  const script = "require('node:net').createServer().listen(process.argv[1], () => process.stdout.write('ready\\n'))";
  const child = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () => resolve());
  });
  child.kill('SIGKILL');
  await exited;
}

describe('Unix domain socket transport', () => {
  let dir: string;
  let path: string;
  let harness: TransportHarness;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxs-'));
    path = join(dir, 'server.sock');
    harness = new TransportHarness();
  });

  afterEach(async () => {
    await harness.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds the socket file at the path, not a TCP port', async () => {
    const server = await harness.listen<Message, Message>({ path, framing, codec });

    expect(server.address).toEqual({ family: 'unix', path });
    expect(existsSync(path) && lstatSync(path).isSocket()).toBe(true);
  }, 10_000);

  it('carries json messages over a Unix socket both ways', async () => {
    const server = await harness.listen<Message, Message>({ path, framing, codec });
    const client = await harness.connect<Message, Message>({ path, framing, codec });
    const accepted = await server.accepted(0);
    const atServer = lastValueFrom(accepted.messages$.pipe(toArray()));
    const atClient = lastValueFrom(client.messages$.pipe(toArray()));

    client.sink.next({ from: 'client', n: 1 });
    client.sink.next({ from: 'client', n: 2 });
    client.sink.complete();
    accepted.sink.next({ from: 'server', n: 1 });
    accepted.sink.complete();

    expect(await atServer).toEqual([
      { from: 'client', n: 1 },
      { from: 'client', n: 2 },
    ]);
    expect(await atClient).toEqual([{ from: 'server', n: 1 }]);
    expect(await firstValueFrom(client.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
    expect(await firstValueFrom(accepted.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  }, 10_000);

  it('replies after the client ends its side, with allowHalfOpen', async () => {
    const server = await harness.listen<Message, Message>({ path, framing, codec, allowHalfOpen: true });
    const client = await harness.connect<Message, Message>({ path, framing, codec, allowHalfOpen: true });
    const accepted = await server.accepted(0);
    const atClient = lastValueFrom(client.messages$.pipe(toArray()));

    client.sink.next({ from: 'client', n: 1 });
    client.sink.complete();
    const requests = await lastValueFrom(accepted.messages$.pipe(toArray()));
    accepted.sink.next({ from: 'server', n: requests.length });
    accepted.sink.complete();

    expect(await atClient).toEqual([{ from: 'server', n: 1 }]);
    expect(await firstValueFrom(accepted.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  }, 10_000);

  it('reports the socket path as the address of both ends, on both sides', async () => {
    const server = await harness.listen<Message, Message>({ path, framing, codec });
    const client = await harness.connect<Message, Message>({ path, framing, codec });
    const accepted = await server.accepted(0);

    const address = { family: 'unix', path };
    expect(server.address).toEqual(address);
    expect(client.localAddress).toEqual(address);
    expect(client.remoteAddress).toEqual(address);
    expect(accepted.localAddress).toEqual(address);
    expect(accepted.remoteAddress).toEqual(address);
  }, 10_000);

  it('removes its socket file when unsubscribed', async () => {
    const server = await harness.listen<Message, Message>({ path, framing, codec });
    expect(lstatSync(path).isSocket()).toBe(true);

    server.subscription.unsubscribe();

    expect(existsSync(path)).toBe(false);
  }, 10_000);

  it('replaces a stale socket file left by a dead server', async () => {
    await staleSocketFile(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect((await rejection(rawConnect(path))) as NodeJS.ErrnoException).toMatchObject({ code: 'ECONNREFUSED' });

    const server = await harness.listen<Message, Message>({ path, framing, codec });
    const client = await harness.connect<Message, Message>({ path, framing, codec });
    const accepted = await server.accepted(0);
    const received = firstValueFrom(accepted.messages$);
    client.sink.next({ from: 'client', n: 7 });

    expect(await received).toEqual({ from: 'client', n: 7 });
    expect(lstatSync(path).isSocket()).toBe(true);
  }, 10_000);

  it('does not steal a socket another server is listening on', async () => {
    const other = await otherServer(path);
    try {
      const error = await rejection(harness.listen<Message, Message>({ path, framing, codec }));
      expect(error).toMatchObject({ code: 'EADDRINUSE' });

      expect(lstatSync(path).isSocket()).toBe(true);
      const accepted = new Promise<void>((resolve) => other.server.once('connection', () => resolve()));
      const socket = await rawConnect(path);
      await accepted;
      await destroyed(socket);
    } finally {
      await Promise.all(other.accepted.map(destroyed));
      await new Promise<void>((resolve) => other.server.close(() => resolve()));
    }
  }, 10_000);

  it('does not delete a regular file at the path', async () => {
    writeFileSync(path, 'not a socket');

    const error = await rejection(harness.listen<Message, Message>({ path, framing, codec }));

    expect(error).toMatchObject({ code: 'EADDRINUSE' });
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('not a socket');
  }, 10_000);

  it('fails to connect to a path nobody listens on with ENOENT', async () => {
    const error = await rejection(harness.connect<Message, Message>({ path, framing, codec }));

    expect(error).toMatchObject({ code: 'ENOENT' });
  }, 10_000);

  describe('a path longer than the platform allows', () => {
    /** A path in `dir` of exactly `bytes` bytes (UTF-8), its name padded with `fill`. */
    function pathOf(bytes: number, fill = 'x'): string {
      const base = join(dir, 's');
      const filler = Buffer.byteLength(fill);
      const padding = bytes - Buffer.byteLength(base);
      return base + fill.repeat(Math.floor(padding / filler)) + 'y'.repeat(padding % filler);
    }

    const max = maxSocketPathBytes() ?? 107; // 107 on Linux, 103 on macOS

    it('is refused by listen and connect with SocketPathTooLongError, leaving nothing behind', () => {
      const tooLong = pathOf(max + 1);
      for (const open of [() => listen({ path: tooLong, framing, codec }), () => connect({ path: tooLong, framing, codec })]) {
        const error = thrownBy(open);
        expect(error).toBeInstanceOf(SocketPathTooLongError);
        expect(error).toMatchObject({ code: 'RXSOCKET_ERR_SOCKET_PATH_TOO_LONG', path: tooLong, bytes: max + 1, max });
        expect((error as Error).message).toContain(`limit of ${max} bytes`);
      }
      expect(readdirSync(dir)).toEqual([]);
    });

    it('counts bytes, not characters', () => {
      const accented = pathOf(max + 1, 'é');
      expect(accented.length).toBeLessThan(max);
      expect(thrownBy(() => listen({ path: accented, framing, codec }))).toMatchObject({ bytes: max + 1 });
    });

    it('serves at exactly the limit (107 bytes on Linux), at that very path', async () => {
      const longest = pathOf(max);
      const server = await harness.listen<Message, Message>({ path: longest, framing, codec });
      const client = await harness.connect<Message, Message>({ path: longest, framing, codec });
      const accepted = await server.accepted(0);
      const received = firstValueFrom(accepted.messages$);
      client.sink.next({ from: 'client', n: max });

      expect(await received).toEqual({ from: 'client', n: max });
      expect(readdirSync(dir)).toEqual([basename(longest)]);
      expect([maxSocketPathBytes('linux'), maxSocketPathBytes('darwin'), maxSocketPathBytes('win32')]).toEqual([107, 103, undefined]);
    }, 10_000);
  });
});

/** What `fn` throws (fails the test if it throws nothing). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
