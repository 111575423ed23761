// rxsocket connect, in-process, against plain node:net servers on 127.0.0.1.
import type { Socket } from 'node:net';
import { jsocketFraming } from 'rxjs-socket';
import { readAll } from '../helpers/loopback';
import { netServer, receive, runCli, stopAll } from './cli-harness';

const closers: Array<() => Promise<void>> = [];

/** A plain server handing each accepted socket to `onSocket`; closed after the test. */
async function server(onSocket: (socket: Socket) => void): Promise<number> {
  const started = await netServer(onSocket);
  closers.push(started.close);
  return started.port;
}

afterEach(async () => {
  await stopAll();
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('rxsocket connect', () => {
  it('reports a stdin read error, half-closes and exits 1 instead of crashing', async () => {
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const port = await server((socket) => {
      got = readAll(socket);
      void got.then(() => socket.end());
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'lines']);
    command.stdin.write('before\n');
    await new Promise((resolve) => setImmediate(resolve));
    while (!command.stderr.text.includes('connected')) await new Promise((resolve) => setImmediate(resolve));
    command.stdin.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' }));
    await expect(command.exited).resolves.toBe(1);
    expect(command.stderr.text).toContain('stdin: read EIO');
    expect((await got).toString()).toBe('before\n');
  }, 5_000);

  it('sends each stdin line, half-closes at the end of stdin, and prints the replies until the peer ends', async () => {
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const port = await server((socket) => {
      got = readAll(socket);
      // Answer only after our end of stdin arrived as a FIN: proof of the half-close.
      void got.then((bytes) => socket.end(bytes.toString().toUpperCase()));
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'lines']);
    command.stdin.write('hello\nwör');
    command.stdin.end('ld\r\n\n'); // a CR before the LF is part of the line end, not of the message
    await expect(command.exited).resolves.toBe(0);
    expect((await got).toString()).toBe('hello\nwörld\n\n');
    expect(command.stdout.text).toBe('HELLO\nWÖRLD\n\n');
    expect(command.stderr.lines()).toEqual([
      `connected to 127.0.0.1:${port}`,
      'summary: sent 3 messages (14 bytes), received 3 messages (14 bytes)',
    ]);
  }, 5_000);

  it('parses JSON lines and frames them with the chosen framing', async () => {
    const framing = jsocketFraming('v2');
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const port = await server((socket) => {
      got = readAll(socket);
      void got.then(() => socket.end(Buffer.concat(framing.encodeFrame(Buffer.from('{"ok": true}')))));
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'jsocket-v2', '--codec', 'json']);
    command.stdin.end('{ "cmd": "ping" }\n[1, 2]\n');
    await expect(command.exited).resolves.toBe(0);
    const expected = Buffer.concat([...framing.encodeFrame(Buffer.from('{"cmd":"ping"}')), ...framing.encodeFrame(Buffer.from('[1,2]'))]);
    expect(await got).toEqual(expected);
    expect(command.stdout.text).toBe('{"ok":true}\n');
  }, 5_000);

  it('sends hex lines as bytes with --codec raw --hex and prints what comes back as hex', async () => {
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const port = await server((socket) => {
      got = readAll(socket);
      void got.then(() => socket.end(Buffer.from('000300ff0a', 'hex')));
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'length:2', '--codec', 'raw', '--hex']);
    command.stdin.end('00 0A ff\n\n');
    await expect(command.exited).resolves.toBe(0);
    expect((await got).toString('hex')).toBe('0003000aff' + '0000');
    expect(command.stdout.text).toBe('00ff0a\n');
  }, 5_000);

  it('skips a line it cannot send, says which on stderr, and exits 1', async () => {
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const port = await server((socket) => {
      got = readAll(socket);
      void got.then(() => socket.end());
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'delimiter:7c', '--codec', 'utf8']);
    command.stdin.end('a\nb|c\nd\n');
    await expect(command.exited).resolves.toBe(1);
    expect((await got).toString()).toBe('a|d|');
    expect(command.stderr.text).toContain('line 2 skipped: payload contains the delimiter at offset 1 (RXSOCKET_ERR_DELIMITER_IN_PAYLOAD)');
    expect(command.stderr.text).toContain('summary: sent 2 messages (4 bytes), received 0 messages (0 bytes), 1 line skipped');
  }, 5_000);

  it('exits when the peer closes first, with stdin still open', async () => {
    const port = await server((socket) => socket.end('bye\n'));
    const command = runCli(['connect', '--port', String(port), '--framing', 'lines']);
    await expect(command.exited).resolves.toBe(0);
    expect(command.stdout.text).toBe('bye\n');
    expect(command.stdin.writableEnded).toBe(false);
  }, 5_000);

  it('closes gracefully on SIGINT', async () => {
    let peer: Socket | undefined;
    const port = await server((socket) => {
      peer = socket;
      socket.pipe(socket); // echo, and end when we end
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'lines']);
    command.stdin.write('one\n');
    await command.stdout.waitFor(/one\n/);
    command.signal('SIGINT');
    await expect(command.exited).resolves.toBe(0);
    expect(peer?.readableEnded).toBe(true);
    expect(command.stderr.text).toContain('summary: sent 1 message (4 bytes), received 1 message (4 bytes)');
  }, 5_000);

  it('prints a framing error from the peer and exits 1', async () => {
    const port = await server((socket) => socket.end(Buffer.from('XXXX\x00\x00\x00\x01')));
    const command = runCli(['connect', '--port', String(port), '--framing', 'jsocket-v2']);
    await expect(command.exited).resolves.toBe(1);
    expect(command.stderr.text).toMatch(/rxsocket: bad magic: expected 4a534e31, got 58585858 \(RXSOCKET_ERR_BAD_MAGIC\)\n/);
  }, 5_000);

  it('exits 1 when nobody listens', async () => {
    const closed = await netServer(() => undefined);
    await closed.close(); // a port that was just free: nothing listens on it now
    const command = runCli(['connect', '--port', String(closed.port), '--framing', 'lines']);
    await expect(command.exited).resolves.toBe(1);
    expect(command.stderr.text).toMatch(/^rxsocket: connect ECONNREFUSED 127\.0\.0\.1:\d+\nsummary: sent 0 messages/);
  }, 5_000);

  it('reads stdin only once connected, so lines written before are not lost', async () => {
    let got: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
    const port = await server((socket) => {
      got = receive(socket, 6);
      void got.then(() => socket.end());
    });
    const command = runCli(['connect', '--port', String(port), '--framing', 'lines']);
    command.stdin.write('early\n'); // before the connection exists
    await expect(command.exited).resolves.toBe(0);
    expect((await got).toString()).toBe('early\n');
  }, 5_000);
});
