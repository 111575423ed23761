// The protocol demos as a user runs them: `npm run --silent demo -- <name> [options]`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../..');
const tsx = resolve(root, 'node_modules/tsx/dist/cli.mjs');

/** Starts a server demo and resolves with its port (from its first line), its first stderr line, and its exit. */
async function startDemo(args: string[]): Promise<{ port: number; child: ChildProcess; firstError: Promise<string>; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [tsx, 'demos/index.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstError = new Promise<string>((done) => createInterface({ input: child.stderr as NodeJS.ReadableStream }).once('line', done));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const first = await new Promise<string>((done) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', done));
  const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(first);
  if (!match) throw new Error(`unexpected first line: ${first}`);
  return { port: Number(match[1]), child, firstError, exited };
}

async function runDemo(args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, 'demos/index.ts', ...args], { cwd: root, timeout: 20_000 });
  return stdout.split('\n').filter((line) => line !== '');
}

/** Runs a client demo that must fail: resolves with its exit code and stderr. */
function failDemo(args: string[]): Promise<{ code: number | string | null | undefined; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [tsx, 'demos/index.ts', ...args], { cwd: root, timeout: 20_000 }, (error, _stdout, stderr) => done({ code: error?.code, stderr }));
  });
}

/** A TCP server that accepts clients and never says anything: a peer that never answers. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

describe('protocol demos', () => {
  it.each(['v1', 'v2', 'legacy'])('jsocket-server --framing %s echoes what jsocket-client sends, and stops on SIGTERM', async (framing) => {
    const server = await startDemo(['jsocket-server', '--framing', framing, '--port', '0']);
    expect(await runDemo(['jsocket-client', '--framing', framing, '--port', String(server.port), '{"a":1}', '"é"', '[0,false]'])).toEqual([
      '{"a":1}',
      '"é"',
      '[0,false]',
    ]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('oneline-server answers oneline-client, and stops on SIGINT', async () => {
    const server = await startDemo(['oneline-server', '--port', '0']);
    expect(await runDemo(['oneline-client', '--port', String(server.port), 'cmd01', 'echo hello there', 'multi 2', '', 'what'])).toEqual([
      'ack',
      'hello there',
      'resp 1',
      'resp 2',
      'nak - unknown cmd',
      'nak - unknown cmd',
    ]);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('oneline-server answers multi with at most 100 lines: a 15-byte request cannot ask for more', async () => {
    const server = await startDemo(['oneline-server', '--port', '0']);
    const answers = await runDemo(['oneline-client', '--port', String(server.port), 'multi 999999999', 'multi 100', 'ping']);
    expect(answers[0]).toBe('nak - multi takes at most 100');
    expect(answers.slice(1, 101)).toEqual(Array.from({ length: 100 }, (_, k) => `resp ${k + 1}`));
    expect(answers.slice(101)).toEqual(['pong']);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('oneline-server stops on the shutdown command', async () => {
    const server = await startDemo(['oneline-server', '--strict']);
    await runDemo(['oneline-client', '--port', String(server.port), 'shutdown']);
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('packetsocket-server greets and broadcasts to packetsocket-client', async () => {
    const server = await startDemo(['packetsocket-server', '--greet', 'hi there']);
    expect(await runDemo(['packetsocket-client', '--port', String(server.port), '--greeted', 'one', 'two'])).toEqual(['hi there', 'one', 'two']);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('jsocket-server logs the client it drops, with the error code, on stderr', async () => {
    const server = await startDemo(['jsocket-server', '--framing', 'v1']);
    // A v2 client: the v1 server reads the magic JSN1 as a length of about 1.2 GB and drops it.
    const client = await failDemo(['jsocket-client', '--framing', 'v2', '--port', String(server.port), '1']);
    expect(client.code).toBe(1);
    expect(await server.firstError).toMatch(/^dropped 127\.0\.0\.1:\d+: RXSOCKET_ERR_FRAME_TOO_LARGE /);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('packetsocket-server logs the client it drops, with the error code, on stderr', async () => {
    const server = await startDemo(['packetsocket-server']);
    const garbage = createConnection({ host: '127.0.0.1', port: server.port }, () => garbage.write('not a packet'));
    garbage.on('error', () => undefined);
    expect(await server.firstError).toMatch(/^dropped 127\.0\.0\.1:\d+: RXSOCKET_ERR_BAD_MAGIC /);
    garbage.destroy();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it.each([
    ['jsocket-client', [], 'timed out after 700 ms for the reply to 1'],
    ['oneline-client', ['cmd01'], 'timed out after 700 ms for pong from 127.0.0.1:'],
    ['packetsocket-client', ['one'], 'timed out after 700 ms for the packets to come back: got 0 of 1'],
  ])('%s ends by itself with a timeout message when the server never answers', async (demo, lines, message) => {
    const server = await silentServer();
    const client = await failDemo([demo, '--port', String(server.port), '--timeout', '700', ...(lines.length > 0 ? lines : ['1'])]);
    await server.close();
    expect(client.code).toBe(1);
    expect(client.stderr).toContain(message);
  }, 30_000);
});
