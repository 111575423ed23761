// The protocol demos as a user runs them: `npm run --silent demo -- <name> [options]`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../..');
const tsx = resolve(root, 'node_modules/tsx/dist/cli.mjs');

/** Starts a server demo and resolves with its port (from its first line) and a stop function. */
async function startDemo(args: string[]): Promise<{ port: number; child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [tsx, 'demos/index.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const first = await new Promise<string>((done) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', done));
  const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(first);
  if (!match) throw new Error(`unexpected first line: ${first}`);
  return { port: Number(match[1]), child, exited };
}

async function runDemo(args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, 'demos/index.ts', ...args], { cwd: root, timeout: 20_000 });
  return stdout.split('\n').filter((line) => line !== '');
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
    const server = await startDemo(['packetsocket-server', '--greet', 'hi there', '--pace-ms', '5']);
    expect(await runDemo(['packetsocket-client', '--port', String(server.port), '--greeted', 'one', 'two'])).toEqual(['hi there', 'one', 'two']);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);
});
