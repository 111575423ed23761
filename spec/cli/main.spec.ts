// The command line itself: help, and the exit code 2 of every mistake.
import { runCli, stopAll } from './cli-harness';

afterEach(stopAll);

describe('main', () => {
  it('prints the overview with --help, -h and help, and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const command = runCli(argv);
      await expect(command.exited).resolves.toBe(0);
      for (const text of ['listen', 'connect', 'proxy', 'length:N[:le|be][:incl]', 'delimiter:HEX', 'header:MAGIC[:N[:le|be]][:crc32]']) {
        expect(command.stdout.text).toContain(text);
      }
      for (const text of ['jsocket-legacy', 'jsocket-v2', 'oneline', 'packetsocket', 'Examples:', 'rxsocket proxy --listen 7001']) {
        expect(command.stdout.text).toContain(text);
      }
      expect(command.stderr.text).toBe('');
    }
  }, 5_000);

  it.each([
    ['listen', ['--echo', '--broadcast', '--path UNIX', 'listening on', 'rxsocket listen --port 7000']],
    ['connect', ['--hex', 'half-closes', 'rxsocket connect --port 7000']],
    ['proxy', ['--target HOST:PORT', '->', '<-', 'rxsocket proxy --listen 7001']],
  ])('prints the help of %s with --help or help <command>', async (name, texts) => {
    for (const argv of [[name, '--help'], [name, '-h'], ['help', name], [name, '--framing', 'nonsense', '--help']]) {
      const command = runCli(argv);
      await expect(command.exited).resolves.toBe(0);
      expect(command.stdout.text).toMatch(new RegExp(`^Usage: rxsocket ${name} `));
      for (const text of texts) expect(command.stdout.text).toContain(text);
    }
  }, 5_000);

  it.each([
    [[], /Usage:/],
    [['serve'], /unknown command 'serve'/],
    [['help', 'serve'], /unknown command 'serve'/],
    [['listen'], /option --framing must be given/],
    [['listen', '--framing', 'length:3'], /option --framing must be length:N\[:le\|be\]\[:incl\] with N one of 1, 2, 4, 8, got length:3/],
    [['listen', '--framing', 'lines', '--codec', 'xml'], /option --codec must be json, utf8 or raw, got xml/],
    [['listen', '--framing', 'lines', '--port', '70000'], /option --port must be a port from 0/],
    [['listen', '--framing', 'lines', '--port', 'http'], /option --port must be/],
    [['listen', '--framing', 'lines', '--echo', '--broadcast'], /--echo must be left out when --broadcast is given/],
    [['listen', '--framing', 'lines', '--port', '1', '--path', '/tmp/x'], /--port must be left out when --path is given/],
    [['listen', '--framing', 'lines', '--bogus'], /Unknown option '--bogus'/],
    [['listen', '--framing', 'lines', 'extra'], /Unexpected argument 'extra'/],
    [['listen', '--framing'], /Option '--framing <value>' argument missing/],
    [['connect', '--framing', 'lines'], /option --port must be given \(or --path\)/],
    [['connect', '--framing', 'lines', '--port', '0'], /option --port must be a port from 1 to 65535/],
    [['connect', '--framing', 'lines', '--port', '1', '--hex'], /--hex must be used with --codec raw only/],
    [['proxy', '--framing', 'lines'], /option --target must be given as HOST:PORT/],
    [['proxy', '--framing', 'lines', '--target', '7000'], /option --target must be HOST:PORT/],
    [['proxy', '--framing', 'lines', '--target', '::1:7000'], /option --target must be HOST:PORT/],
    [['proxy', '--framing', 'lines', '--target', 'h:0'], /option --target must be a port from 1 to 65535/],
  ])('exits 2 and explains %j on stderr', async (argv, message) => {
    const command = runCli(argv);
    await expect(command.exited).resolves.toBe(2);
    expect(command.stderr.text).toMatch(message);
    expect(command.stdout.text).toBe('');
  }, 5_000);

  it('names the command whose help to read after a mistake', async () => {
    const command = runCli(['proxy', '--framing', 'header:']);
    await expect(command.exited).resolves.toBe(2);
    expect(command.stderr.text).toContain("Run 'rxsocket proxy --help' for usage.");
  }, 5_000);
});
