import { parseArgs } from 'node:util';
import { Subscription } from 'rxjs';
import { raw } from '../codec/raw';
import { connect } from '../connection/connect';
import type { Connection } from '../connection/connection';
import { listen } from '../connection/listen';
import { InvalidOptionError } from '../errors';
import type { Framing } from '../framing/framing';
import { framingAndCodec, parseHostPort, parsePort, SHARED_OPTIONS, type HostPort } from './args';
import type { CliIo } from './cli-io';
import { describeAddress, describeEndpoint, describeError } from './describe';
import { OutputGate, ReadGate } from './output-gate';
import { formatFrame, type CodecName } from './message-format';
import { TrafficCounter } from './traffic';


/** Milliseconds the proxy waits for its target before giving up on a client. */
const TARGET_CONNECT_TIMEOUT = 10_000;
/**
 * Options of `rxsocket proxy`, with every default applied by {@link parseProxyArgs}.
 *
 * @example
 * ```ts
 * const options: ProxyCommandOptions = {
 *   listenHost: '127.0.0.1', listenPort: 7001, target: { host: '127.0.0.1', port: 7000 }, framing: jsocketFraming('v2'), codec: 'json',
 * };
 * ```
 */
export interface ProxyCommandOptions {
  /** Address the proxy binds. Default `127.0.0.1`. */
  listenHost: string;
  /** Port the proxy binds; 0 (the default) picks a free one. */
  listenPort: number;
  /** Where each client is relayed to. */
  target: HostPort;
  /** Framing of both directions (the same on both sides of the proxy). */
  framing: Framing;
  /** How relayed messages are logged. */
  codec: CodecName;
}

type Side = Connection<Uint8Array, Uint8Array>;

/**
 * The options of `rxsocket proxy ...` (the arguments after `proxy`), or `'help'` for `--help`.
 * Throws an InvalidOptionError or a `util.parseArgs` error on a bad command line.
 *
 * @example
 * ```ts
 * parseProxyArgs(['--listen', '7001', '--target', '127.0.0.1:7000', '--framing', 'jsocket-v2', '--codec', 'json']);
 * ```
 */
export function parseProxyArgs(argv: readonly string[]): ProxyCommandOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: { ...SHARED_OPTIONS, listen: { type: 'string' }, 'listen-host': { type: 'string' }, target: { type: 'string' } },
  });
  if (values.help === true) return 'help';
  if (values.target === undefined) throw new InvalidOptionError('--target', undefined, 'given as HOST:PORT');
  return {
    ...framingAndCodec(values),
    listenHost: values['listen-host'] ?? '127.0.0.1',
    listenPort: values.listen === undefined ? 0 : parsePort('--listen', values.listen, true),
    target: parseHostPort('--target', values.target),
  };
}

/**
 * Runs `rxsocket proxy`: accepts clients, connects each to the target, and relays frames both
 * ways, logging each one on stdout as `ISO-TIME #N -> MESSAGE` (client to target) or `<-` (target
 * to client). Frames are forwarded as received and framed again by the same framing, which yields
 * the same bytes; a half-close is relayed as a half-close. Connections coming and going, and
 * failures, are logged on stderr. The first signal closes everything gracefully, the next at once;
 * then a summary line goes to stderr. Resolves with the exit code: 0, or 1 if it could not listen.
 *
 * @example
 * ```ts
 * const options = parseProxyArgs(['--listen', '7001', '--target', 'localhost:7000', '--framing', 'lines']);
 * if (options !== 'help') process.exitCode = await runProxy(options, processIo());
 * ```
 */
export function runProxy(options: ProxyCommandOptions, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const { framing, codec, target } = options;
    const now = io.now ?? (() => new Date());
    const toTarget = new TrafficCounter(framing);
    const toClient = new TrafficCounter(framing);
    const live = new Set<Side>();
    const targets = new Set<Subscription>();
    const say = (line: string): void => void io.stderr.write(`${line}\n`);
    const stdout = new OutputGate(io.stdout);
    const server = new Subscription();
    const signals = new Subscription();
    let pairs = 0;
    let exitCode = 0;
    let stopping = false;
    let done = false;

    const finish = (): void => {
      if (done || !stopping || live.size > 0) return;
      done = true;
      signals.unsubscribe();
      say(`summary: -> ${toTarget.describe()}, <- ${toClient.describe()}, ${pairs} ${pairs === 1 ? 'client' : 'clients'}`);
      resolve(exitCode);
    };
    const stop = (): void => {
      if (stopping) {
        for (const side of live) side.destroy();
        return;
      }
      stopping = true;
      server.unsubscribe(); // closes the clients gracefully
      for (const attempt of targets) attempt.unsubscribe(); // closes the targets gracefully
      targets.clear();
      finish();
    };
    const track = (side: Side, label: string): void => {
      live.add(side);
      side.closed$.subscribe(({ error }) => {
        live.delete(side);
        say(error === undefined ? `${label} closed` : `${label} failed: ${describeError(error)}`);
        finish();
      });
    };
    const log = (id: number, arrow: string, frame: Uint8Array): void => {
      let text: string;
      try {
        text = formatFrame(codec, frame);
      } catch (error) {
        text = `! ${describeError(error)}; hex ${Buffer.from(frame).toString('hex')}`;
      }
      stdout.write(`${now().toISOString()} #${id} ${arrow} ${text}\n`);
    };
    const pipe = (id: number, from: Side, to: Side, arrow: string, counter: TrafficCounter): void => {
      // Backpressure across the relay: while `to` cannot take more, or the log on stdout is full,
      // `from` is not read.
      const gate = new ReadGate(from);
      to.writable$.subscribe((writable) => gate.hold('relay', !writable));
      const full = stdout.full$.subscribe((isFull) => gate.hold('stdout', isFull));
      from.closed$.subscribe(() => full.unsubscribe());
      from.messages$.subscribe({
        next: (frame) => {
          log(id, arrow, frame);
          const late = to.lateMessages;
          to.sink.next(frame);
          if (to.lateMessages === late) counter.add(frame);
        },
        complete: () => to.sink.complete(), // relay the half-close
        error: () => to.close(), // the failure itself is reported by `from`'s closed$
      });
    };
    const relay = (client: Side): void => {
      const id = ++pairs;
      say(`#${id} client connected from ${describeAddress(client.remoteAddress)}`);
      track(client, `#${id} client`);
      // The client stays paused (nothing read, nothing lost) until the target answers.
      let attempt: Subscription | undefined = undefined;
      let settled = false;
      const forget = (): void => {
        settled = true;
        if (attempt !== undefined) targets.delete(attempt);
      };
      attempt = connect<Uint8Array>({ ...target, framing, codec: raw(), allowHalfOpen: true, connectTimeout: TARGET_CONNECT_TIMEOUT }).subscribe({
        next: (side) => {
          say(`#${id} connected to target ${describeAddress(side.remoteAddress)}`);
          track(side, `#${id} target`);
          pipe(id, client, side, '->', toTarget);
          pipe(id, side, client, '<-', toClient);
        },
        error: (error: unknown) => {
          forget();
          say(`#${id} cannot reach the target: ${describeError(error)}`);
          client.close();
        },
        complete: forget,
      });
      if (!settled) {
        targets.add(attempt);
        // A client that fails while the target is still being reached takes the attempt with it.
        const pending = attempt;
        client.closed$.subscribe(() => {
          if (!settled) {
            forget();
            pending.unsubscribe();
          }
        });
      }
    };

    signals.add(io.signals$.subscribe(stop));
    server.add(
      listen<Uint8Array>({
        host: options.listenHost,
        port: options.listenPort,
        framing,
        codec: raw(),
        allowHalfOpen: true,
        onListening: (address) => say(`listening on ${describeAddress(address)}, relaying to ${describeEndpoint(target.host, target.port)}`),
      }).subscribe({
        next: relay,
        error: (error: unknown) => {
          say(`rxsocket: ${describeError(error)}`);
          exitCode = 1;
          stop();
        },
      }),
    );
  });
}
