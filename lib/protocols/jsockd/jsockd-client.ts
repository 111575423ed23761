import { defer, from, map, type Observable, of, throwError } from 'rxjs';
import { DecodeError, EncodeError } from '../../errors';
import { handlerResult } from '../../internal/handler-result';
import type { JsockdMessageHandler, JsockdRawMessageHandler, ResolvedJsockdOptions } from './jsockd-options';
import type { CommandDispatcher } from './command-dispatcher';
import type { JsockdClosed, JsockdSession } from './jsockd-session';
import type { JsockdLogEntry } from './log-parser';

/** Options of one {@link JsockdClient.run}. */
export interface JsockdRunOptions {
  /** Milliseconds to the final reply before RequestTimeoutError. Default: the client's `commandTimeout`. */
  timeout?: number;
  /** Answers this command's questions (instead of the client's `onMessage`). */
  onMessage?: JsockdMessageHandler;
}

/** Options of one {@link JsockdClient.runRaw}. */
export interface JsockdRawRunOptions {
  /** Milliseconds to the final reply before RequestTimeoutError. Default: the client's `commandTimeout`. */
  timeout?: number;
  /** Answers this command's questions in JSON text. Default: the client's `onMessage`, through JSON. */
  onMessage?: JsockdRawMessageHandler;
}

/**
 * A running jsockd daemon with its sockets connected. Commands are cold Observables: sent on
 * subscribe, one value (the result) then complete; unsubscribing cancels (a command already sent
 * keeps its socket until the daemon answers, and its questions get `internal_error`).
 *
 * @example
 * ```ts
 * jsockd({ command: '/usr/local/bin/jsockd' }).pipe(
 *   switchMap((client) => client.run('(m, p) => p.a + p.b', { a: 1, b: 2 })),
 * ).subscribe((sum) => console.log(sum)); // 3
 * ```
 */
export interface JsockdClient {
  /**
   * Runs `query`, a JS function source `(module, param) => ...`, on `param` (JSON-encoded; an
   * EncodeError if it cannot be) and emits its result, JSON-decoded. A JS exception errors with
   * JsockdExceptionError; questions go to `options.onMessage`, else the client's `onMessage`.
   */
  run<R = unknown>(query: string, param: unknown, options?: JsockdRunOptions): Observable<R>;
  /** Like {@link run}, on JSON text both ways: `paramJson` is sent as is, the result is the daemon's JSON text. */
  runRaw(query: string, paramJson: string, options?: JsockdRawRunOptions): Observable<string>;
  /** Sends `?reset` on every socket (after what runs there); completes when each has answered `reset`. */
  reset(): Observable<void>;
  /** Closes everything, in order: `?quit`, sockets, SIGTERM, SIGKILL, socket directory. The client's Observable completes once done. */
  close(): void;
  /** The daemon's log entries (stderr); replays the last `logReplay` ones to a new subscriber. Completes when the client is closed. */
  readonly logs$: Observable<JsockdLogEntry>;
  /** Emits once, when the process has exited and the socket directory is removed, then completes. */
  readonly closed$: Observable<JsockdClosed>;
  /** The version the daemon announced. */
  readonly version: string;
  /** The sockets in use (the first n of those requested, n from `READY`). */
  readonly socketPaths: readonly string[];
  /** The fresh directory holding the sockets (removed on close). */
  readonly socketDir: string;
  /** The daemon's process id. */
  readonly pid: number;
  /** The sticky fatal error, undefined while the client is healthy. */
  readonly error: unknown;
}

/** Wraps a {@link JsockdRawMessageHandler} result as an Observable. */
function rawAnswers(handler: JsockdRawMessageHandler): (questionJson: string) => Observable<string> {
  return (questionJson) => {
    const reply = handler(questionJson);
    return typeof reply === 'string' ? of(reply) : from(reply);
  };
}

/** Turns a typed handler into a JSON-text one: question decoded, answer encoded (`undefined` as `null`). */
function typedAnswers(handler: JsockdMessageHandler | undefined): (questionJson: string) => Observable<string> {
  return (questionJson) => {
    if (handler === undefined) return throwError(() => new Error('a command asked a question, and there is no onMessage handler'));
    const reply = handler(JSON.parse(questionJson) as unknown);
    return handlerResult(reply).pipe(map(encode));
  };
}

function encode(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    throw new EncodeError(error);
  }
  if (json === undefined) throw new EncodeError(new TypeError(`${typeof value} is not JSON`));
  return json;
}

function decode(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new DecodeError(Buffer.byteLength(json), error);
  }
}

/** The {@link JsockdClient} of a session that is running. */
export function createJsockdClient(session: JsockdSession, dispatcher: CommandDispatcher, options: ResolvedJsockdOptions): JsockdClient {
  const runRaw = (query: string, paramJson: string, runOptions: JsockdRawRunOptions = {}): Observable<string> => {
    const answer = runOptions.onMessage === undefined ? typedAnswers(options.onMessage) : rawAnswers(runOptions.onMessage);
    return dispatcher.command(query, paramJson, answer, runOptions.timeout ?? options.commandTimeout);
  };
  return {
    run: <R = unknown>(query: string, param: unknown, runOptions: JsockdRunOptions = {}): Observable<R> =>
      defer(() => {
        const answer = typedAnswers(runOptions.onMessage ?? options.onMessage);
        return dispatcher.command(query, encode(param), answer, runOptions.timeout ?? options.commandTimeout);
      }).pipe(map((json) => decode(json) as R)),
    runRaw,
    reset: () => dispatcher.reset(),
    close: () => session.close(),
    logs$: session.logs.asObservable(),
    closed$: session.closed.asObservable(),
    version: session.version,
    socketPaths: session.socketPaths,
    socketDir: session.socketDir,
    pid: session.pid,
    get error() {
      return session.error;
    },
  };
}
