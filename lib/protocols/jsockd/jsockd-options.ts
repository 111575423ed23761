import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_MAX_FRAME_BYTES } from '../../constants';
import { InvalidOptionError } from '../../errors';

/**
 * The daemon versions the client accepts by default: `0.1.5`, the current jsockd release (what its
 * own client expects), and `0.0.139`, what the Python client rxsocket replaces expects. Both speak
 * the same protocol.
 *
 * @example
 * ```ts
 * jsockd({ command, expectVersion: [...JSOCKD_DEFAULT_VERSIONS, '0.1.6'] }); // also accept a newer one
 * ```
 */
export const JSOCKD_DEFAULT_VERSIONS: readonly string[] = Object.freeze(['0.1.5', '0.0.139']);

/** Milliseconds the daemon has to print `READY` by default: 15 s. */
export const JSOCKD_DEFAULT_START_TIMEOUT = 15_000;

/** Milliseconds each socket has to connect by default: 5 s. */
export const JSOCKD_DEFAULT_CONNECT_TIMEOUT = 5_000;

/** Log entries `logs$` replays to a new subscriber by default. */
export const JSOCKD_DEFAULT_LOG_REPLAY = 100;

/** Longest Unix socket path accepted everywhere (macOS allows 103 bytes, Linux 107). */
const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Answers a question a running command asks (`JSockD.sendMessage(question)` in the daemon): return
 * the reply, or a Promise or Observable of it (its first value is sent). A throw, a rejection, an
 * error or an Observable that completes empty sends `internal_error` to the daemon and fails the
 * command with HandlerError. `undefined` is sent as `null`.
 */
export type JsockdMessageHandler = (question: unknown) => unknown;

/** Like {@link JsockdMessageHandler}, on JSON text: gets the question as JSON, returns the reply as JSON text. */
export type JsockdRawMessageHandler = (questionJson: string) => string | PromiseLike<string> | Observable<string>;

/** Options of {@link jsockd}. */
export interface JsockdOptions {
  /** Path of the `jsockd` executable (or anything that behaves like it). */
  command: string;
  /** Sockets (and so threads at most) to ask for. Default: the CPUs available (`os.availableParallelism()`). */
  threads?: number;
  /** A module bytecode file, passed as `-m`: the `module` argument of every command. Default: none. */
  module?: string;
  /** Maximum runtime of a command in microseconds (`-t`). Default: the daemon's own (250 ms). */
  maxRuntimeUs?: number;
  /** Microseconds a thread may stay idle before its runtime is shut down (`-i`; 0 = never). Default: the daemon's own (0). */
  maxIdleUs?: number;
  /** Extra environment variables for the daemon (`JSOCKD_BYTECODE_MODULE_PUBLIC_KEY`, ...), over `process.env`; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** The version, or one of the versions, the daemon must announce in `READY`. Default `JSOCKD_DEFAULT_VERSIONS` (`'0.1.5'` and `'0.0.139'`). */
  expectVersion?: string | readonly string[];
  /** Accept any version (keep false in production). Default false. */
  skipVersionCheck?: boolean;
  /** Milliseconds from spawning to `READY` before JsockdStartTimeoutError. Default 15,000. */
  startTimeout?: number;
  /** Milliseconds each socket has to connect before ConnectTimeoutError. Default 5,000. */
  connectTimeout?: number;
  /** Milliseconds a command may take, per command, before RequestTimeoutError. Default: none (the daemon's `-t` bounds it). */
  commandTimeout?: number;
  /** Milliseconds given to each closing step (exit after `?quit`, after SIGTERM) before the next one. Default 5,000. */
  closeTimeout?: number;
  /** Answers questions from commands that bring no handler of their own. Default: none (a question fails the command). */
  onMessage?: JsockdMessageHandler;
  /** Largest field sent (query, parameter, answer) and reply line accepted, in bytes. Default 16 MiB. */
  maxMessageBytes?: number;
  /** Directory in which the socket directory is created. Default `os.tmpdir()`. */
  tempDir?: string;
  /** Log entries `logs$` replays to each new subscriber (so start-up logs are not missed). Default 100. */
  logReplay?: number;
  /** Scheduler of every timer (start, connect, command, close). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Options of {@link jsockd} with every default applied. */
export interface ResolvedJsockdOptions {
  readonly command: string;
  readonly threads: number;
  readonly module: string | undefined;
  readonly maxRuntimeUs: number | undefined;
  readonly maxIdleUs: number | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** The versions accepted, or undefined to accept any. */
  readonly expectVersions: readonly string[] | undefined;
  readonly startTimeout: number;
  readonly connectTimeout: number;
  readonly commandTimeout: number | undefined;
  readonly closeTimeout: number;
  readonly onMessage: JsockdMessageHandler | undefined;
  readonly maxMessageBytes: number;
  readonly tempDir: string;
  readonly logReplay: number;
  readonly scheduler: SchedulerLike;
}

function integer(name: string, value: number | undefined, min: number): number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) {
    throw new InvalidOptionError(name, value, `an integer >= ${min}`);
  }
  return value;
}

function milliseconds(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(value > 0 && value <= 2_147_483_647)) {
    throw new InvalidOptionError(name, value, 'a positive number of milliseconds');
  }
  return value;
}

function versions(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return JSOCKD_DEFAULT_VERSIONS;
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new InvalidOptionError('expectVersion', value, 'a version string or a non-empty list of them');
  }
  return list;
}

/** Applies the defaults, in the one place they are defined, and checks every option. */
export function resolveJsockdOptions(options: JsockdOptions): ResolvedJsockdOptions {
  if (typeof options.command !== 'string' || options.command === '') {
    throw new InvalidOptionError('command', options.command, 'the path of the jsockd executable');
  }
  const threads = integer('threads', options.threads, 1) ?? availableParallelism();
  const tempDir = options.tempDir ?? tmpdir();
  // mkdtemp adds six characters to the prefix `jsd-`.
  const longest = join(tempDir, 'jsd-XXXXXX', `${threads - 1}.sock`);
  if (Buffer.byteLength(longest) > MAX_SOCKET_PATH_BYTES) {
    throw new InvalidOptionError('tempDir', tempDir, `a directory short enough for socket paths of at most ${MAX_SOCKET_PATH_BYTES} bytes`);
  }
  return {
    command: options.command,
    threads,
    module: options.module,
    maxRuntimeUs: integer('maxRuntimeUs', options.maxRuntimeUs, 1),
    maxIdleUs: integer('maxIdleUs', options.maxIdleUs, 0),
    env: { ...process.env, ...options.env },
    expectVersions: options.skipVersionCheck === true ? undefined : versions(options.expectVersion),
    startTimeout: milliseconds('startTimeout', options.startTimeout) ?? JSOCKD_DEFAULT_START_TIMEOUT,
    connectTimeout: milliseconds('connectTimeout', options.connectTimeout) ?? JSOCKD_DEFAULT_CONNECT_TIMEOUT,
    commandTimeout: milliseconds('commandTimeout', options.commandTimeout),
    closeTimeout: milliseconds('closeTimeout', options.closeTimeout) ?? DEFAULT_CLOSE_TIMEOUT,
    onMessage: options.onMessage,
    maxMessageBytes: integer('maxMessageBytes', options.maxMessageBytes, 1) ?? DEFAULT_MAX_FRAME_BYTES,
    tempDir,
    logReplay: integer('logReplay', options.logReplay, 0) ?? JSOCKD_DEFAULT_LOG_REPLAY,
    scheduler: options.scheduler ?? asyncScheduler,
  };
}

/** The daemon's command line: `-b 00 [-m MODULE] [-t US] [-i US] -s -- SOCK_0 ... SOCK_{N-1}`. */
export function jsockdArgs(options: ResolvedJsockdOptions, socketPaths: readonly string[]): string[] {
  const args = ['-b', '00'];
  if (options.module !== undefined) args.push('-m', options.module);
  if (options.maxRuntimeUs !== undefined) args.push('-t', String(options.maxRuntimeUs));
  if (options.maxIdleUs !== undefined) args.push('-i', String(options.maxIdleUs));
  args.push('-s', '--', ...socketPaths);
  return args;
}
