import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { firstValueFrom, ReplaySubject, Subject, type Subscription } from 'rxjs';
import { utf8 } from '../../codec/utf8';
import { connect } from '../../connection/connect';
import type { Connection } from '../../connection/connection';
import { ConnectionLostError } from '../../errors';
import { jsockdFraming } from '../../framing/presets';
import { CommandChannel } from './command-channel';
import { CommandDispatcher } from './command-dispatcher';
import { DaemonProcess, type JsockdExitStatus } from './daemon-process';
import { JsockdProtocolError, JsockdStartTimeoutError, JsockdVersionError } from './jsockd-errors';
import { jsockdArgs, type ResolvedJsockdOptions } from './jsockd-options';
import type { JsockdLogEntry } from './log-parser';
import { parseReadyLine } from './wire-lines';

/** How a client ended, emitted by `closed$` once everything is closed and removed. */
export interface JsockdClosed extends JsockdExitStatus {
  /** The fatal error that ended it, or undefined for a requested close. */
  readonly error: unknown;
}

/** What a {@link JsockdSession} tells its owner. */
export interface SessionEvents {
  /** The daemon is READY and every socket is connected: commands go through `dispatcher`. */
  readonly ready: (dispatcher: CommandDispatcher) => void;
  /** Everything is closed and removed: `failure` is the fatal error, or undefined after a requested close. */
  readonly finished: (failure: unknown) => void;
}

type State = 'starting' | 'connecting' | 'running' | 'stopping';

/**
 * One daemon and its sockets, from spawning to the removal of the socket directory: waits for
 * `READY`, checks it, connects, hands the sockets to a {@link CommandDispatcher}, and shuts
 * everything down in order on close or on the first fatal error, which stays sticky.
 */
export class JsockdSession {
  readonly logs: Subject<JsockdLogEntry>;
  readonly closed = new ReplaySubject<JsockdClosed>(1);
  socketDir = '';
  socketPaths: readonly string[] = [];
  version = '';
  private daemon: DaemonProcess | null = null;
  /** Connections made so far (by socket index; sparse while connecting). */
  private readonly connections: Array<Connection<string, string>> = [];
  private channels: CommandChannel[] = [];
  private readonly connecting: Subscription[] = [];
  private startTimer: Subscription | null = null;
  private state: State = 'starting';
  private failure: unknown = undefined;
  private stopping: Promise<void> | null = null;
  private lastErrorLog = '';

  constructor(
    private readonly options: ResolvedJsockdOptions,
    private readonly events: SessionEvents,
  ) {
    this.logs = options.logReplay > 0 ? new ReplaySubject(options.logReplay) : new Subject();
  }

  /** The sticky fatal error, undefined while healthy. */
  get error(): unknown {
    return this.failure;
  }

  /** The daemon's process id. */
  get pid(): number {
    return this.daemon?.pid ?? -1;
  }

  /** Spawns the daemon and starts waiting for its `READY`. */
  start(): void {
    const { options } = this;
    try {
      this.socketDir = mkdtempSync(join(options.tempDir, 'jsd-'));
    } catch (error) {
      return this.fail(error);
    }
    const paths = Array.from({ length: options.threads }, (_, i) => join(this.socketDir, `${i}.sock`));
    this.socketPaths = paths;
    this.startTimer = options.scheduler.schedule(() => this.fail(new JsockdStartTimeoutError(options.startTimeout)), options.startTimeout);
    try {
      this.daemon = new DaemonProcess(options.command, jsockdArgs(options, paths), options.env, options.scheduler, {
        stdoutLine: (line) => this.onStdoutLine(line),
        stdoutEnded: () => this.state === 'starting' && this.fail(new JsockdProtocolError('ready-missing', 'stdout closed before READY')),
        log: (entry) => {
          if (entry.level === 'ERROR') this.lastErrorLog = entry.message;
          this.logs.next(entry);
        },
        exited: (status) => this.onExit(status),
        failed: (error) => this.fail(error),
      });
    } catch (error) {
      // spawn() throws at once on arguments it refuses (a NUL byte in the command or env): clean up the same way.
      this.fail(error);
    }
  }

  /** Closes everything, in order; idempotent. `events.finished` is called once it is all done. */
  close(): void {
    void this.shutdown();
  }

  /** Why no command can run now (the sticky error, or the client is closing), or undefined. */
  private refusal(): unknown {
    if (this.failure !== undefined) return this.failure;
    if (this.state !== 'running') return new ConnectionLostError('jsockd client closed');
    return undefined;
  }

  private onStdoutLine(line: string): void {
    if (this.state !== 'starting') return; // Nothing but READY is expected there; the rest is drained.
    this.startTimer?.unsubscribe();
    const ready = parseReadyLine(line);
    if (ready === null || ready.threads < 1 || ready.threads > this.socketPaths.length) {
      const expected = `READY <n> <version> with 1 <= n <= ${this.socketPaths.length}`;
      return this.fail(new JsockdProtocolError('ready-malformed', `first stdout line ${JSON.stringify(line)}, expected ${expected}`));
    }
    const { expectVersions } = this.options;
    if (expectVersions !== undefined && !expectVersions.includes(ready.version)) return this.fail(new JsockdVersionError(expectVersions, ready.version));
    this.version = ready.version;
    this.state = 'connecting';
    this.socketPaths = this.socketPaths.slice(0, ready.threads);
    const { connectTimeout, closeTimeout, scheduler, maxMessageBytes } = this.options;
    this.socketPaths.forEach((path, index) => {
      const framing = { in: jsockdFraming('replies', { maxFrameBytes: maxMessageBytes }), out: jsockdFraming('commands', { maxFrameBytes: maxMessageBytes }) };
      this.connecting.push(
        connect<string, string>({ path, framing, codec: utf8(), connectTimeout, closeTimeout, scheduler }).subscribe({
          next: (connection) => {
            this.connections[index] = connection;
            if (Object.keys(this.connections).length === this.socketPaths.length) this.run();
          },
          error: (error: unknown) => this.fail(error),
        }),
      );
    });
  }

  private run(): void {
    if (this.state !== 'connecting') return;
    this.state = 'running';
    const { maxMessageBytes } = this.options;
    this.channels = this.connections.map((connection, index) => new CommandChannel(index, connection, maxMessageBytes, (error) => this.fail(error)));
    this.events.ready(new CommandDispatcher(this.channels, this.options, () => this.refusal()));
  }

  private onExit(status: JsockdExitStatus): void {
    if (this.state === 'starting') this.fail(new JsockdProtocolError('ready-missing', `the daemon exited (${describe(status)}) before READY`));
    else if (this.state !== 'stopping') this.fail(new JsockdProtocolError('exited', `the daemon exited by itself (${describe(status)})`));
  }

  /** Records the first fatal error (sticky) and shuts down; errors met while stopping are expected and dropped. */
  private fail(error: unknown): void {
    if (this.failure !== undefined || this.state === 'stopping') return;
    this.failure = error;
    void this.shutdown();
  }

  private shutdown(): Promise<void> {
    this.stopping ??= this.stopInOrder().catch(() => undefined);
    return this.stopping;
  }

  /** `?quit` (on an idle socket) and EOF on every socket; exit, else SIGTERM, else SIGKILL; then the directory goes. */
  private async stopInOrder(): Promise<void> {
    this.state = 'stopping';
    this.startTimer?.unsubscribe();
    const { closeTimeout, scheduler } = this.options;
    const reason = this.failure ?? new ConnectionLostError('jsockd client closed');
    // `?quit` goes to a socket with nothing running (a busy thread would not read it); after a
    // failure, the EOF of the sockets alone stops the daemon.
    if (this.failure === undefined) this.channels.some((channel) => channel.quitIfIdle());
    for (const channel of this.channels) for (const job of channel.stop()) job.fail(reason);
    // A graceful close (queued bytes flushed, then EOF): the daemon takes the EOF as a stop.
    const connections = Object.values(this.connections);
    connections.forEach((connection) => connection.close());
    const socketsClosed = Promise.all(connections.map((connection) => firstValueFrom(connection.closed$, { defaultValue: undefined })));
    this.connecting.forEach((subscription) => subscription.unsubscribe());
    const status = (await this.daemon?.stop(connections.length > 0, closeTimeout, scheduler)) ?? { code: null, signal: null };
    await socketsClosed;
    if (this.socketDir !== '') await rm(this.socketDir, { recursive: true, force: true }).catch(() => undefined);
    if (this.failure instanceof JsockdProtocolError && this.failure.reason === 'ready-missing') {
      // Nobody has seen it yet: say how the daemon ended and what it logged last, now that stderr is read.
      const note = this.lastErrorLog === '' ? '' : `; last error logged: ${this.lastErrorLog}`;
      this.failure = new JsockdProtocolError('ready-missing', `stdout closed before READY (${describe(status)})${note}`);
    }
    this.logs.complete();
    this.closed.next({ ...status, error: this.failure });
    this.closed.complete();
    this.events.finished(this.failure);
  }
}

function describe(status: JsockdExitStatus): string {
  if (status.signal !== null) return `signal ${status.signal}`;
  return status.code === null ? 'never started' : `exit code ${status.code}`;
}
