import { Observable } from 'rxjs';

/**
 * Everything a command touches outside its sockets: the standard streams, the stop signals and the
 * clock. The real process provides them through {@link processIo}; tests pass in-memory streams,
 * a Subject of signals and a fixed clock, and run commands in-process.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdin: new PassThrough(), stdout, stderr, signals$: new Subject<string>() };
 * const code = await main(['listen', '--port', '0', '--framing', 'lines'], io);
 * ```
 */
export interface CliIo {
  /** Lines to send (read by `connect` only). */
  readonly stdin: NodeJS.ReadableStream;
  /** Messages, one per line. */
  readonly stdout: NodeJS.WritableStream;
  /** Status lines (`listening on ...`), errors and the closing summary. */
  readonly stderr: NodeJS.WritableStream;
  /** Stop requests (SIGINT, SIGTERM): the first stops gracefully, the next one at once. */
  readonly signals$: Observable<string>;
  /** The clock of the proxy's log lines. Default: the system clock. */
  readonly now?: () => Date;
}

/**
 * The real process's streams and signals. `stdin` is only opened when a command reads it, and
 * the SIGINT/SIGTERM handlers only exist while a command subscribes to `signals$`.
 *
 * @example
 * ```ts
 * main(process.argv.slice(2), processIo()).then((code) => (process.exitCode = code));
 * ```
 */
export function processIo(): CliIo {
  return {
    get stdin(): NodeJS.ReadableStream {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    signals$: new Observable<string>((subscriber) => {
      const onSignal = (signal: NodeJS.Signals): void => subscriber.next(signal);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return () => {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      };
    }),
  };
}
