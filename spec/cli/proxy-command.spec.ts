// rxsocket proxy, in-process, between plain node:net clients and targets on 127.0.0.1.
import type { Socket } from 'node:net';
import { jsocketFraming } from 'rxjs-socket';
import { rawClient, readAll } from '../helpers/loopback';
import { FIXED_TIME, floodBehindStalledStdout, listeningPort, netServer, receive, runCli, stopAll, writeChunks } from './cli-harness';

const cleanup: Array<() => Promise<void> | void> = [];

async function client(port: number): Promise<Socket> {
  const socket = await rawClient(port);
  socket.on('error', () => undefined);
  cleanup.push(() => void socket.destroy());
  return socket;
}

async function target(onSocket: (socket: Socket) => void): Promise<number> {
  const started = await netServer(onSocket);
  cleanup.push(started.close);
  return started.port;
}

/** What the target will have read from its first client when that client ends, and a hook to set up. */
function firstTargetRead(): { atTarget: Promise<Buffer>; onSocket: (socket: Socket) => Promise<Buffer> } {
  let hand: (bytes: Promise<Buffer>) => void = () => undefined;
  const atTarget = new Promise<Buffer>((resolve) => (hand = resolve));
  return {
    atTarget,
    onSocket: (socket) => {
      const bytes = readAll(socket);
      hand(bytes);
      return bytes;
    },
  };
}

afterEach(async () => {
  await stopAll();
  for (const step of cleanup.splice(0)) await step();
});

const stamp = FIXED_TIME.toISOString();

describe('rxsocket proxy', () => {
  it('relays both ways byte for byte, half-close included, and logs each message with its direction', async () => {
    const framing = jsocketFraming('v2');
    const frame = (text: string): Buffer => Buffer.concat(framing.encodeFrame(Buffer.from(text)));
    const request = Buffer.concat([frame('{"op":"add","args":[1,2]}'), frame('"ping"')]);
    const reply = Buffer.concat([frame('{"result":3}'), frame('"pong"')]);
    const { atTarget, onSocket } = firstTargetRead();
    const targetPort = await target((socket) => {
      // Reply once the client's end arrived through the proxy, then end too.
      void onSocket(socket).then(async () => {
        await writeChunks(socket, [reply.subarray(0, 3), reply.subarray(3, 30), reply.subarray(30)]);
        socket.end();
      });
    });
    const command = runCli(['proxy', '--target', `127.0.0.1:${targetPort}`, '--framing', 'jsocket-v2', '--codec', 'json']);
    const port = await listeningPort(command);
    expect(command.stderr.lines()[0]).toBe(`listening on 127.0.0.1:${port}, relaying to 127.0.0.1:${targetPort}`);
    const socket = await client(port);
    const atClient = readAll(socket);
    // Cut across headers and payloads: the proxy forwards frames, never half of one.
    await writeChunks(socket, [request.subarray(0, 2), request.subarray(2, 11), request.subarray(11)]);
    socket.end();
    expect(await atTarget).toEqual(request);
    expect(await atClient).toEqual(reply);
    await command.stdout.waitFor(/<- "pong"\n/);
    expect(command.stdout.lines()).toEqual([
      `${stamp} #1 -> {"op":"add","args":[1,2]}`,
      `${stamp} #1 -> "ping"`,
      `${stamp} #1 <- {"result":3}`,
      `${stamp} #1 <- "pong"`,
    ]);
    command.signal();
    await expect(command.exited).resolves.toBe(0);
    expect(command.stderr.text).toContain(
      `summary: -> 2 messages (${request.length} bytes), <- 2 messages (${reply.length} bytes), 1 client`,
    );
  }, 5_000);

  it('keeps each client apart, numbering them in the log', async () => {
    const targetPort = await target((socket) => socket.pipe(socket));
    const command = runCli(['proxy', '--listen', '0', '--listen-host', '127.0.0.1', '--target', `127.0.0.1:${targetPort}`, '--framing', 'lines']);
    const port = await listeningPort(command);
    const a = await client(port);
    await command.stderr.waitFor(/#1 connected to target/);
    const b = await client(port);
    await command.stderr.waitFor(/#2 connected to target/);
    const toA = receive(a, 2);
    const toB = receive(b, 2);
    await writeChunks(b, [Buffer.from('b\n')]);
    await writeChunks(a, [Buffer.from('a\n')]);
    expect((await toA).toString()).toBe('a\n');
    expect((await toB).toString()).toBe('b\n');
    await command.stdout.waitFor(/#1 <- a\n/);
    await command.stdout.waitFor(/#2 <- b\n/);
    expect(command.stdout.lines().sort()).toEqual([`${stamp} #1 -> a`, `${stamp} #1 <- a`, `${stamp} #2 -> b`, `${stamp} #2 <- b`].sort());
  }, 5_000);

  it('logs a frame the codec cannot decode as hex and still relays it', async () => {
    const { atTarget, onSocket } = firstTargetRead();
    const targetPort = await target((socket) => void onSocket(socket).then(() => socket.end()));
    const command = runCli(['proxy', '--target', `127.0.0.1:${targetPort}`, '--framing', 'lines', '--codec', 'json']);
    const socket = await client(await listeningPort(command));
    socket.end('{bad\n');
    expect((await atTarget).toString()).toBe('{bad\n');
    await command.stdout.waitFor(/\n/);
    expect(command.stdout.text).toMatch(new RegExp(`^${stamp} #1 -> ! cannot decode frame of 4 bytes: .*\\(RXSOCKET_ERR_DECODE\\); hex 7b626164\\n$`));
  }, 5_000);

  it('closes a client whose target cannot be reached and goes on serving', async () => {
    const gone = await netServer(() => undefined);
    await gone.close(); // a port that was just free: nothing listens on it now
    const command = runCli(['proxy', '--target', `127.0.0.1:${gone.port}`, '--framing', 'lines']);
    const port = await listeningPort(command);
    const socket = await client(port);
    const ended = readAll(socket);
    await ended;
    expect(command.stderr.text).toMatch(/#1 cannot reach the target: connect ECONNREFUSED/);
    const again = await client(port);
    await readAll(again);
    await command.stderr.waitFor(/#2 cannot reach the target/);
    command.signal();
    await expect(command.exited).resolves.toBe(0);
    expect(command.stderr.text).toContain('summary: -> 0 messages (0 bytes), <- 0 messages (0 bytes), 2 clients');
  }, 5_000);

  it('closes both sides of every pair on SIGTERM', async () => {
    let atTarget: Socket | undefined;
    const targetPort = await target((socket) => {
      atTarget = socket;
      socket.resume();
      socket.once('end', () => socket.end()); // a target that ends when the proxy ends
    });
    const command = runCli(['proxy', '--target', `127.0.0.1:${targetPort}`, '--framing', 'lines']);
    const socket = await client(await listeningPort(command));
    const clientEnded = readAll(socket);
    await command.stderr.waitFor(/#1 connected to target/);
    command.signal('SIGTERM');
    await clientEnded;
    await expect(command.exited).resolves.toBe(0);
    expect(atTarget?.readableEnded).toBe(true);
    expect(command.stderr.text).toMatch(/#1 client closed\n/);
    expect(command.stderr.text).toMatch(/#1 target closed\n/);
  }, 5_000);
});

describe('rxsocket proxy backpressure', () => {
  it('stops reading a client while the target does not read, instead of queueing 48 MiB', async () => {
    let targetSocket: Socket | undefined;
    const targetPort = await target((socket) => {
      socket.pause(); // a target that does not read (yet)
      targetSocket = socket;
    });
    const command = runCli(['proxy', '--target', `127.0.0.1:${targetPort}`, '--framing', 'length', '--codec', 'raw']);
    const port = await listeningPort(command);
    const socket = await client(port);
    // 48 frames of 1 MiB: more than the 32 MiB a connection may queue.
    const frame = Buffer.concat([Buffer.from([0, 0x10, 0, 0]), Buffer.alloc(1 << 20, 7)]);
    let written = 0;
    const allWritten = new Promise<void>((resolve) => {
      const more = (): void => {
        while (written < 48) {
          written++;
          if (!socket.write(frame)) return void socket.once('drain', more);
        }
        resolve();
      };
      more();
    });
    while (targetSocket === undefined) await new Promise((resolve) => setImmediate(resolve));
    // Wait until the client cannot write more (the proxy stopped reading it) or everything is
    // written (the proxy read it all, queueing what the target did not take).
    let done = false;
    void allWritten.then(() => (done = true));
    for (let last = -1, still = 0; !done && still < 300; still = written === last ? still + 1 : 0, last = written) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(written).toBeLessThan(48);
    expect(command.stderr.text).not.toMatch(/QUEUE_OVERFLOW|exceeds maxQueuedBytes/);
    let bytes = 0;
    const reader = targetSocket;
    const received = new Promise<void>((resolve) =>
      reader.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes === 48 * frame.length) resolve();
      }),
    );
    reader.resume();
    await allWritten;
    await received;
    expect(bytes).toBe(48 * frame.length);
    expect(command.stderr.text).not.toMatch(/QUEUE_OVERFLOW|exceeds maxQueuedBytes/);
  }, 20_000);
});

describe('rxsocket proxy logging backpressure', () => {
  it('stops relaying while its log on stdout is full', async () => {
    const targetPort = await target((socket) => socket.resume());
    const { written, lines } = await floodBehindStalledStdout(['proxy', '--target', `127.0.0.1:${targetPort}`, '--framing', 'length', '--codec', 'raw']);
    expect(written).toBeLessThan(256);
    expect(lines).toBeLessThan(16);
  }, 20_000);
});
