import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SchedulerLike } from 'rxjs';
import type { FrameDecoder } from '../../framing/framing';
import { delimiter } from '../../framing/delimiter';
import { JsockdLogParser, type JsockdLogEntry } from './log-parser';

/** How the daemon process ended. */
export interface JsockdExitStatus {
  /** Its exit code, or null if a signal ended it (or it never started). */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
}

/** What a {@link DaemonProcess} tells its owner. */
export interface DaemonEvents {
  /** A complete stdout line (the first one should be `READY`). */
  readonly stdoutLine: (line: string) => void;
  /** stdout ended. */
  readonly stdoutEnded: () => void;
  /** A log entry from stderr. */
  readonly log: (entry: JsockdLogEntry) => void;
  /** The process exited (or could not be started). */
  readonly exited: (status: JsockdExitStatus) => void;
  /** The process could not be started or signalled: Node's own error. */
  readonly failed: (error: Error) => void;
}

/** Lines of a text stream: LF-delimited, a last line without LF kept, lenient UTF-8. */
function readLines(stream: Readable, onLine: (line: string) => void, onEnd: () => void): void {
  let decoder: FrameDecoder = delimiter({ delimiter: '\n', trailing: 'emit' }).createDecoder();
  const deliver = (frames: Uint8Array[]): void => {
    for (const frame of frames) onLine(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8'));
  };
  stream.on('data', (chunk: Buffer) => {
    try {
      deliver(decoder.push(chunk));
    } catch {
      // A line past 16 MiB: drop what was buffered of it and carry on with the next one.
      decoder = delimiter({ delimiter: '\n', trailing: 'emit' }).createDecoder();
    }
  });
  stream.on('end', () => {
    deliver(decoder.end());
    onEnd();
  });
  // A read error ends the stream ('close' follows); the process's own exit says what happened.
  stream.on('error', () => undefined);
}

/** Microsecond ISO-8601 time of `ms`, as jsockd writes it. */
export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/**
 * The daemon's process: spawned with stdin ignored, stdout read as lines, stderr parsed as log
 * entries, its exit tracked, and a stop that escalates. Every listener on the child and its
 * streams is attached at once, so no error ever goes unhandled.
 */
export class DaemonProcess {
  private readonly child: ChildProcess;
  private status: JsockdExitStatus | null = null;
  private closed = false;
  private readonly waiters: Array<() => void> = [];

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, scheduler: SchedulerLike, events: DaemonEvents) {
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const parser = new JsockdLogParser(() => isoMicros(scheduler.now()));
    readLines(this.child.stdout as Readable, events.stdoutLine, events.stdoutEnded);
    readLines(
      this.child.stderr as Readable,
      (line) => parser.push(line).forEach(events.log),
      () => parser.end().forEach(events.log),
    );
    const exited = (status: JsockdExitStatus): void => {
      if (this.status !== null) return;
      this.status = status;
      events.exited(status);
    };
    this.child.on('exit', (code, signal) => exited({ code, signal }));
    this.child.on('error', (error) => {
      events.failed(error);
      // Without a pid it never started: no 'exit' will come.
      if (this.child.pid === undefined) exited({ code: null, signal: null });
    });
    this.child.on('close', () => {
      this.closed = true;
      exited({ code: this.child.exitCode, signal: this.child.signalCode });
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  /** The process id (undefined if it could not be started). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How it ended, or null while it runs. */
  get exitStatus(): JsockdExitStatus | null {
    return this.status;
  }

  /**
   * Stops the process: if `graceful`, first gives it `timeout` ms to exit by itself (after `?quit`
   * or the EOF of a socket), then SIGTERM and `timeout` ms, then SIGKILL. Resolves once it has
   * exited and its output is read to the end.
   */
  async stop(graceful: boolean, timeout: number, scheduler: SchedulerLike): Promise<JsockdExitStatus> {
    if (graceful) await this.closedWithin(timeout, scheduler);
    if (!this.closed && this.status === null) {
      this.child.kill('SIGTERM');
      await this.closedWithin(timeout, scheduler);
    }
    if (!this.closed && this.status === null) this.child.kill('SIGKILL');
    // Exited: its pipes close now, unless a child it left behind holds them; then stop reading.
    if (!(await this.closedWithin(timeout, scheduler))) {
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
      await this.closedWithin(timeout, scheduler);
    }
    return this.status ?? { code: null, signal: null };
  }

  /** Resolves true once the process has closed (exited, pipes drained), false after `timeout` ms. */
  private closedWithin(timeout: number, scheduler: SchedulerLike): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = scheduler.schedule(() => {
        const at = this.waiters.indexOf(wake);
        if (at !== -1) this.waiters.splice(at, 1);
        resolve(false);
      }, timeout);
      const wake = (): void => {
        timer.unsubscribe();
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }
}
