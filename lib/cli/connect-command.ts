import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Subscription } from 'rxjs';
import { raw } from '../codec/raw';
import { connect, type ConnectAddress } from '../connection/connect';
import type { CloseInfo, Connection } from '../connection/connection';
import { InvalidOptionError } from '../errors';
import type { Framing } from '../framing/framing';
import { exclusive, framingAndCodec, parsePort, SHARED_OPTIONS } from './args';
import type { CliIo } from './cli-io';
import { describeAddress, describeError } from './describe';
import { OutputGate } from './output-gate';
import { encodeLine, formatFrame, type CodecName } from './message-format';
import { TrafficCounter } from './traffic';

/**
 * Options of `rxsocket connect`, with every default applied by {@link parseConnectArgs}.
 *
 * @example
 * ```ts
 * const options: ConnectCommandOptions = { host: '127.0.0.1', port: 7000, path: undefined, framing: lengthPrefix(), codec: 'raw', hex: true };
 * ```
 */
export interface ConnectCommandOptions {
  /** TCP host. Default `127.0.0.1`. */
  host: string;
  /** TCP port (when no `path`). */
  port: number | undefined;
  /** Unix domain socket path, instead of host and port. */
  path: string | undefined;
  /** Framing of both directions. */
  framing: Framing;
  /** How stdin lines become messages and messages become output lines. */
  codec: CodecName;
  /** With the raw codec: stdin lines are hex (`00 ff 0a`) rather than text. Default false. */
  hex: boolean;
}

/**
 * The options of `rxsocket connect ...` (the arguments after `connect`), or `'help'` for `--help`.
 * Throws an InvalidOptionError or a `util.parseArgs` error on a bad command line.
 *
 * @example
 * ```ts
 * parseConnectArgs(['--port', '7000', '--framing', 'jsocket', '--codec', 'json']);
 * ```
 */
export function parseConnectArgs(argv: readonly string[]): ConnectCommandOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: { ...SHARED_OPTIONS, host: { type: 'string' }, port: { type: 'string' }, path: { type: 'string' }, hex: { type: 'boolean' } },
  });
  if (values.help === true) return 'help';
  exclusive('--port', values.port, '--path', values.path);
  exclusive('--host', values.host, '--path', values.path);
  if (values.port === undefined && values.path === undefined) throw new InvalidOptionError('--port', undefined, 'given (or --path)');
  const { framing, codec } = framingAndCodec(values);
  if (values.hex === true && codec !== 'raw') throw new InvalidOptionError('--hex', true, 'used with --codec raw only');
  return {
    framing,
    codec,
    host: values.host ?? '127.0.0.1',
    port: values.port === undefined ? undefined : parsePort('--port', values.port, false),
    path: values.path,
    hex: values.hex === true,
  };
}

/**
 * Runs `rxsocket connect`: connects, sends each stdin line as one message, prints each message
 * received as one line. When stdin ends it sends what is queued and half-closes, then exits once
 * the peer ends too; when the peer closes first, it exits at once. A line that cannot be sent (not
 * JSON, not hex, containing the delimiter, too large) is reported on stderr and skipped. The
 * first signal closes gracefully, the next at once. A summary line goes to stderr. Resolves with
 * the exit code: 0, or 1 if the connection failed or any line was skipped.
 *
 * @example
 * ```ts
 * const options = parseConnectArgs(['--port', '7000', '--framing', 'lines']);
 * if (options !== 'help') process.exitCode = await runConnect(options, processIo());
 * ```
 */
export function runConnect(options: ConnectCommandOptions, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const { framing, codec } = options;
    const received = new TrafficCounter(framing);
    const sent = new TrafficCounter(framing);
    const say = (line: string): void => void io.stderr.write(`${line}\n`);
    const stdout = new OutputGate(io.stdout);
    let connection: Connection<Uint8Array, Uint8Array> | undefined;
    let lines: Interface | undefined;
    const signals = new Subscription();
    const client = new Subscription();
    let inputOpen = false;
    let stops = 0;
    let lineNumber = 0;
    let skipped = 0;
    let failed = false;
    let done = false;

    const finish = (): void => {
      if (done) return;
      done = true;
      signals.unsubscribe();
      client.unsubscribe();
      lines?.close();
      say(`summary: sent ${sent.describe()}, received ${received.describe()}${skipped > 0 ? `, ${skipped} ${skipped === 1 ? 'line' : 'lines'} skipped` : ''}`);
      resolve(failed || skipped > 0 ? 1 : 0);
    };
    const stop = (): void => {
      stops++;
      if (connection === undefined) finish(); // unsubscribing abandons the attempt
      else if (stops > 1) connection.destroy();
      else {
        lines?.close(); // no more input
        connection.close(); // flush, FIN, wait for the peer's end (destroyed after the close timeout)
      }
    };
    const sendLine = (target: Connection<Uint8Array, Uint8Array>, line: string): void => {
      lineNumber++;
      let payload: Uint8Array;
      try {
        payload = encodeLine(codec, line, options.hex);
        framing.encodeFrame(payload); // refuse here what the connection would fail on
      } catch (error) {
        skipped++;
        say(`line ${lineNumber} skipped: ${describeError(error)}`);
        return;
      }
      const late = target.lateMessages;
      target.sink.next(payload);
      if (target.lateMessages === late) sent.add(payload);
    };
    const start = (established: Connection<Uint8Array, Uint8Array>): void => {
      connection = established;
      say(`connected to ${describeAddress(established.remoteAddress)}`);
      established.closed$.subscribe(({ error }: CloseInfo) => {
        if (error !== undefined) {
          failed = true;
          say(`rxsocket: ${describeError(error)}`);
        }
        finish();
      });
      // While stdout is full (a slow consumer), the server is not read: TCP slows it down.
      const full = stdout.full$.subscribe((isFull) => (isFull ? established.pause() : established.resume()));
      established.closed$.subscribe(() => full.unsubscribe());
      established.messages$.subscribe({
        next: (frame) => {
          received.add(frame);
          try {
            stdout.write(`${formatFrame(codec, frame)}\n`);
          } catch (error) {
            say(`${describeError(error)}; hex ${Buffer.from(frame).toString('hex')}`);
          }
        },
        error: () => undefined, // reported once, by closed$
      });
      if (done) return;
      const reader = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
      lines = reader;
      inputOpen = true;
      reader.on('line', (line) => sendLine(established, line));
      // A stdin read error (EIO, ...) is reported and ends the input, never left unhandled.
      const onInputError = (error: unknown): void => {
        failed = true;
        say(`rxsocket: stdin: ${describeError(error)}`);
        reader.close();
      };
      // readline re-emits its input's errors on the interface.
      reader.once('error', onInputError);
      // Stdin ended (or the command is stopping): flush, then half-close.
      reader.once('close', () => {
        inputOpen = false;
        established.sink.complete();
      });
      // Backpressure: stop reading stdin while messages queue behind a slow peer.
      established.writable$.subscribe((writable) => {
        if (inputOpen) {
          if (writable) reader.resume();
          else reader.pause();
        }
      });
    };

    signals.add(io.signals$.subscribe(stop));
    // The parser requires --port or --path.
    const where: ConnectAddress = options.path !== undefined ? { path: options.path } : { host: options.host, port: options.port as number };
    client.add(
      connect<Uint8Array>({ ...where, framing, codec: raw() }).subscribe({
        next: start,
        error: (error: unknown) => {
          failed = true;
          say(`rxsocket: ${describeError(error)}`);
          finish();
        },
      }),
    );
  });
}
