// rxsocket listen, in-process, against plain node:net clients on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsocketFraming } from 'rxjs-socket';
import { rawClient, readAll, socketClosed } from '../helpers/loopback';
import { floodBehindStalledStdout, listeningPort, netServer, receive, runCli, stopAll, writeChunks } from './cli-harness';

const sockets = new Set<Socket>();
async function client(port: number): Promise<Socket> {
  const socket = await rawClient(port);
  socket.on('error', () => undefined);
  sockets.add(socket);
  return socket;
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await stopAll();
});

describe('rxsocket listen', () => {
  it('says where it listens on stderr and prints each message as one line on stdout', async () => {
    const command = runCli(['listen', '--framing', 'lines']);
    const port = await listeningPort(command);
    expect(command.stderr.lines()[0]).toBe(`listening on 127.0.0.1:${port}`);
    const socket = await client(port);
    // Split mid-line and several lines per chunk: the framing, not the chunks, makes messages.
    await writeChunks(socket, [Buffer.from('hel'), Buffer.from('lo\nwörld\nbye'), Buffer.from('\n')]);
    await command.stdout.waitFor(/bye\n/);
    expect(command.stdout.text).toBe('hello\nwörld\nbye\n');
    await command.stderr.waitFor(/client #1 connected from 127\.0\.0\.1:\d+/);
  }, 5_000);

  it('decodes JSON over jsocket framing and prints raw frames as hex', async () => {
    const json = runCli(['listen', '--framing', 'jsocket', '--codec', 'json']);
    const raw = runCli(['listen', '--framing', 'length:1', '--codec', 'raw']);
    const framing = jsocketFraming('v1');
    const jsonClient = await client(await listeningPort(json));
    await writeChunks(jsonClient, [...framing.encodeFrame(Buffer.from('{ "id": 1, "ok": [true] }')), ...framing.encodeFrame(Buffer.from('"x"'))]);
    const rawClientSocket = await client(await listeningPort(raw));
    await writeChunks(rawClientSocket, [Uint8Array.of(3, 0x00, 0x0a, 0xff)]);
    await json.stdout.waitFor(/"x"\n/);
    await raw.stdout.waitFor(/\n/);
    expect(json.stdout.text).toBe('{"id":1,"ok":[true]}\n"x"\n');
    expect(raw.stdout.text).toBe('000aff\n');
  }, 5_000);

  it('reports a frame it cannot decode on stderr, as hex, and goes on', async () => {
    const command = runCli(['listen', '--framing', 'lines', '--codec', 'json']);
    const socket = await client(await listeningPort(command));
    await writeChunks(socket, [Buffer.from('oops\n1\n')]);
    await command.stdout.waitFor(/1\n/);
    expect(command.stdout.text).toBe('1\n');
    expect(command.stderr.text).toMatch(/client #1: cannot decode frame of 4 bytes: .*\(RXSOCKET_ERR_DECODE\); hex 6f6f7073\n/);
  }, 5_000);

  it('echoes each message to its sender, byte for byte, with --echo', async () => {
    const command = runCli(['listen', '--framing', 'jsocket-v2', '--codec', 'json', '--echo']);
    const port = await listeningPort(command);
    const [a, b] = [await client(port), await client(port)];
    const framing = jsocketFraming('v2');
    const wire = Buffer.concat([...framing.encodeFrame(Buffer.from('{"n":1}')), ...framing.encodeFrame(Buffer.from('[2]'))]);
    const received = receive(a, wire.length);
    const bReceived: Buffer[] = [];
    b.on('data', (chunk: Buffer) => bReceived.push(chunk));
    await writeChunks(a, [wire.subarray(0, 5), wire.subarray(5)]);
    expect(await received).toEqual(wire);
    a.end();
    await socketClosed(a);
    // b sent nothing, so it got nothing: its end arrives with no data before it.
    const bEnd = readAll(b);
    b.end();
    expect(await bEnd).toEqual(Buffer.alloc(0));
    expect(bReceived).toEqual([]);
  }, 5_000);

  it('sends each message to every client, the sender included, with --broadcast', async () => {
    const command = runCli(['listen', '--framing', 'lines', '--broadcast']);
    const port = await listeningPort(command);
    const a = await client(port);
    const b = await client(port);
    await command.stderr.waitFor(/client #2 connected/);
    const toA = receive(a, 12);
    const toB = receive(b, 12);
    await writeChunks(a, [Buffer.from('from a\n')]);
    await receive(b, 7);
    await writeChunks(b, [Buffer.from('to b\n')]);
    expect((await toA).toString()).toBe('from a\nto b\n');
    expect((await toB).toString()).toBe('from a\nto b\n');
    expect(command.stdout.text).toBe('from a\nto b\n');
  }, 5_000);

  it('closes every client on SIGINT and prints a summary of messages and bytes each way', async () => {
    const command = runCli(['listen', '--framing', 'length:2', '--codec', 'utf8', '--echo']);
    const socket = await client(await listeningPort(command));
    const ended = readAll(socket);
    await writeChunks(socket, [Buffer.from('00026869' + '000161' + '0000', 'hex')]); // 'hi', 'a', '': 3 messages, 9 bytes
    await command.stdout.waitFor(/hi\na\n\n/);
    command.signal('SIGINT');
    expect((await ended).toString('hex')).toBe('00026869' + '000161' + '0000');
    await expect(command.exited).resolves.toBe(0);
    expect(command.stderr.lines().slice(-2)).toEqual(['client #1 closed', 'summary: received 3 messages (9 bytes), sent 3 messages (9 bytes)']);
  }, 5_000);

  it('destroys clients that do not close on a second signal', async () => {
    const command = runCli(['listen', '--framing', 'lines']);
    const port = await listeningPort(command);
    // A half-open client ignores the server's FIN, so a graceful close would wait for the close timeout.
    const stubborn = createConnection({ host: '127.0.0.1', port, allowHalfOpen: true });
    stubborn.on('error', () => undefined);
    sockets.add(stubborn);
    await command.stderr.waitFor(/client #1 connected/);
    const finSeen = new Promise((resolve) => stubborn.once('end', resolve));
    stubborn.resume();
    command.signal('SIGTERM');
    await finSeen;
    command.signal('SIGTERM');
    // It resolves only once every client has closed: the second signal destroyed this one.
    await expect(command.exited).resolves.toBe(0);
    expect(command.stderr.text).toContain('client #1 closed');
    expect(command.stderr.text).toContain('summary: received 0 messages (0 bytes), sent 0 messages (0 bytes)');
  }, 5_000);

  it('listens on a Unix domain socket with --path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxs-'));
    try {
      const path = join(dir, 'cli.sock');
      const command = runCli(['listen', '--path', path, '--framing', 'delimiter:00']);
      await command.stderr.waitFor(/listening on .*cli\.sock\n/);
      expect(command.stderr.lines()[0]).toBe(`listening on ${path}`);
      const socket = createConnection({ path });
      socket.on('error', () => undefined);
      sockets.add(socket);
      socket.end(Buffer.from('unix\0'));
      await command.stdout.waitFor(/unix\n/);
      command.signal();
      await expect(command.exited).resolves.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 5_000);

  it('exits 1 and says why when it cannot listen', async () => {
    const taken = await netServer(() => undefined);
    try {
      const command = runCli(['listen', '--port', String(taken.port), '--framing', 'lines']);
      await expect(command.exited).resolves.toBe(1);
      expect(command.stderr.text).toMatch(/^rxsocket: listen EADDRINUSE.*\nsummary: received 0 messages/);
    } finally {
      await taken.close();
    }
  }, 5_000);
});

describe('rxsocket listen backpressure', () => {
  it('stops reading its clients while stdout is full, instead of buffering what a slow consumer has not taken', async () => {
    // 256 frames of 64 KiB (16 MiB) toward a stdout that takes nothing.
    const { written, lines } = await floodBehindStalledStdout(['listen', '--framing', 'length', '--codec', 'raw']);
    expect(written).toBeLessThan(256);
    // What stdout was given is a few lines, not the 16 MiB the client wrote.
    expect(lines).toBeLessThan(16);
  }, 20_000);
});
