import { parseArgs } from 'node:util';
import { Subscription } from 'rxjs';
import { raw } from '../codec/raw';
import type { Connection } from '../connection/connection';
import { broadcast } from '../connection/broadcast';
import { listen } from '../connection/listen';
import type { Framing } from '../framing/framing';
import { exclusive, framingAndCodec, parsePort, SHARED_OPTIONS } from './args';
import type { CliIo } from './cli-io';
import { describeAddress, describeError } from './describe';
import { OutputGate, ReadGate } from './output-gate';
import { formatFrame, type CodecName } from './message-format';
import { TrafficCounter } from './traffic';

/** What `listen` does with each message besides printing it. */
export type ListenReply = 'none' | 'echo' | 'broadcast';

/**
 * Options of `rxsocket listen`, with every default applied by {@link parseListenArgs}.
 *
 * @example
 * ```ts
 * const options: ListenCommandOptions = { host: '127.0.0.1', port: 0, path: undefined, framing: delimiter(), codec: 'utf8', reply: 'echo' };
 * ```
 */
export interface ListenCommandOptions {
  /** TCP address to bind. Default `127.0.0.1`. */
  host: string;
  /** TCP port; 0 (the default) picks a free one, shown in the `listening on` line. */
  port: number;
  /** Unix domain socket path, instead of host and port. */
  path: string | undefined;
  /** Framing of both directions. */
  framing: Framing;
  /** How messages are printed. */
  codec: CodecName;
  /** `'echo'`: send each message back to its sender; `'broadcast'`: to every client. Default `'none'`. */
  reply: ListenReply;
}

type Client = Connection<Uint8Array, Uint8Array>;

/**
 * The options of `rxsocket listen ...` (the arguments after `listen`), or `'help'` for `--help`.
 * Throws an InvalidOptionError or a `util.parseArgs` error on a bad command line.
 *
 * @example
 * ```ts
 * parseListenArgs(['--port', '7000', '--framing', 'lines', '--echo']); // { port: 7000, reply: 'echo', ... }
 * ```
 */
export function parseListenArgs(argv: readonly string[]): ListenCommandOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...SHARED_OPTIONS,
      host: { type: 'string' },
      port: { type: 'string' },
      path: { type: 'string' },
      echo: { type: 'boolean' },
      broadcast: { type: 'boolean' },
    },
  });
  if (values.help === true) return 'help';
  exclusive('--echo', values.echo, '--broadcast', values.broadcast);
  exclusive('--port', values.port, '--path', values.path);
  exclusive('--host', values.host, '--path', values.path);
  return {
    ...framingAndCodec(values),
    host: values.host ?? '127.0.0.1',
    port: values.port === undefined ? 0 : parsePort('--port', values.port, true),
    path: values.path,
    reply: values.echo === true ? 'echo' : values.broadcast === true ? 'broadcast' : 'none',
  };
}

/**
 * Runs `rxsocket listen`: binds, says `listening on ADDRESS` on stderr, prints each decoded message
 * as one line on stdout, echoes or broadcasts it if asked, and logs clients coming and going on
 * stderr. The first signal stops accepting and closes every client gracefully, the next destroys
 * them; then a summary line goes to stderr. Resolves with the exit code: 0, or 1 if it could not
 * listen.
 *
 * @example
 * ```ts
 * const options = parseListenArgs(['--framing', 'jsocket', '--codec', 'json']);
 * if (options !== 'help') process.exitCode = await runListen(options, processIo());
 * ```
 */
export function runListen(options: ListenCommandOptions, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const received = new TrafficCounter(options.framing);
    const sent = new TrafficCounter(options.framing);
    const clients = new Set<Client>();
    const say = (line: string): void => void io.stderr.write(`${line}\n`);
    const stdout = new OutputGate(io.stdout);
    const server = new Subscription();
    const signals = new Subscription();
    let clientCount = 0;
    let exitCode = 0;
    let stopping = false;
    let done = false;

    const finish = (): void => {
      if (done || !stopping || clients.size > 0) return;
      done = true;
      signals.unsubscribe();
      say(`summary: received ${received.describe()}, sent ${sent.describe()}`);
      resolve(exitCode);
    };
    const stop = (): void => {
      if (stopping) {
        for (const client of clients) client.destroy();
        return;
      }
      stopping = true;
      server.unsubscribe(); // closes every client gracefully
      finish();
    };
    const send = (client: Client, frame: Uint8Array): void => {
      const late = client.lateMessages;
      client.sink.next(frame);
      if (client.lateMessages === late) sent.add(frame);
    };
    const serve = (client: Client): void => {
      const name = `client #${++clientCount}`;
      clients.add(client);
      say(`${name} connected from ${describeAddress(client.remoteAddress)}`);
      client.closed$.subscribe(({ error }) => {
        clients.delete(client);
        say(error === undefined ? `${name} closed` : `${name} failed: ${describeError(error)}`);
        finish();
      });
      // A client is not read while stdout is full (a slow consumer of the output), nor, with echo,
      // while it does not read what it is sent: TCP slows it down instead of the process growing.
      const gate = new ReadGate(client);
      const full = stdout.full$.subscribe((isFull) => gate.hold('stdout', isFull));
      client.closed$.subscribe(() => full.unsubscribe());
      if (options.reply === 'echo') client.writable$.subscribe((writable) => gate.hold('echo', !writable));
      client.messages$.subscribe({
        next: (frame) => {
          received.add(frame);
          try {
            stdout.write(`${formatFrame(options.codec, frame)}\n`);
          } catch (error) {
            say(`${name}: ${describeError(error)}; hex ${Buffer.from(frame).toString('hex')}`);
          }
          if (options.reply === 'echo') send(client, frame);
          else if (options.reply === 'broadcast') for (let k = broadcast(clients, frame); k > 0; k--) sent.add(frame);
        },
        error: () => undefined, // reported once, by closed$
      });
    };

    signals.add(io.signals$.subscribe(stop));
    const where = options.path !== undefined ? { path: options.path } : { host: options.host, port: options.port };
    server.add(
      listen<Uint8Array>({
        ...where,
        framing: options.framing,
        codec: raw(),
        onListening: (address) => say(`listening on ${describeAddress(address)}`),
      }).subscribe({
        next: serve,
        error: (error: unknown) => {
          say(`rxsocket: ${describeError(error)}`);
          exitCode = 1;
          stop();
        },
      }),
    );
  });
}
