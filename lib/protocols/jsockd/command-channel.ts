import { defer, EmptyError, first, type Observable, type Subscription } from 'rxjs';
import type { Connection } from '../../connection/connection';
import { HandlerError } from '../../errors';
import { JsockdProtocolError } from './jsockd-errors';
import { fieldProblem, parseReplyLine, type JsockdReply } from './wire-lines';

/** What the client writes when its handler for a question fails. */
const INTERNAL_ERROR = 'internal_error';

/** A command waiting for, or running on, a socket. */
export interface CommandJob {
  readonly kind: 'command';
  /** 1 to 32 bytes, no space, no NUL. */
  readonly id: string;
  readonly query: string;
  readonly paramJson: string;
  /** Answers a question (JSON text) with the reply (JSON text); its first value is sent. */
  readonly answer: (questionJson: string) => Observable<string>;
  /** The final reply (`ok` or `exception`) arrived. */
  readonly settle: (reply: JsockdReply) => void;
  /** The job failed: its handler failed, or the client failed or closed. */
  readonly fail: (error: unknown) => void;
  /** Nobody waits for the result any more; its replies are still read, and dropped. */
  abandoned: boolean;
}

/** A control line (`?reset`) waiting to be sent, or awaiting its answer line. */
export interface ControlJob {
  readonly kind: 'control';
  readonly line: '?reset';
  /** The line the daemon answers with. */
  readonly expect: 'reset';
  readonly settle: () => void;
  readonly fail: (error: unknown) => void;
  abandoned: boolean;
}

/** Work for one socket. */
export type ChannelJob = CommandJob | ControlJob;

/**
 * One socket to the daemon, which runs one command at a time: jobs wait in order, the current
 * one is written as NUL-terminated fields (in one write: the connection batches the fields of a
 * tick), its reply lines are checked and routed, and its questions answered. A cancelled job
 * keeps the socket until its final reply (questions then get `internal_error`), so the next
 * command never reads the replies of the one before. Anything the protocol does not allow is
 * reported to `onFatal` as a JsockdProtocolError; so is the socket closing or failing.
 */
export class CommandChannel {
  private current: ChannelJob | null = null;
  private readonly queue: ChannelJob[] = [];
  private answering: Subscription | null = null;
  private readonly listening: Subscription;
  private stopped = false;

  constructor(
    /** Position of the socket (0 for `SOCK_0`). */
    readonly index: number,
    private readonly connection: Connection<string, string>,
    /** Largest field written, in bytes (an answer past it is a handler failure). */
    private readonly maxFieldBytes: number,
    private readonly onFatal: (error: JsockdProtocolError) => void,
  ) {
    this.listening = connection.messages$.subscribe({
      next: (line) => this.onLine(line),
      error: (error: unknown) => this.lost(error),
      complete: () => this.lost(undefined),
    });
  }

  /** Jobs running or waiting here. */
  get load(): number {
    return this.queue.length + (this.current === null ? 0 : 1);
  }

  /** Queues a job; it starts at once when the socket is idle. */
  submit(job: ChannelJob): void {
    this.queue.push(job);
    this.pump();
  }

  /** Cancels a job: a waiting one is removed; a running one is abandoned (its replies are dropped). */
  withdraw(job: ChannelJob): void {
    const at = this.queue.indexOf(job);
    if (at !== -1) {
      this.queue.splice(at, 1);
      return;
    }
    if (this.current !== job || job.abandoned) return;
    job.abandoned = true;
    if (job.kind === 'command' && this.answering !== null) {
      this.answering.unsubscribe();
      this.answering = null;
      this.write(job.id, INTERNAL_ERROR);
    }
  }

  /** Stops routing replies for good and returns the jobs nobody has given up on, for the caller to fail. */
  stop(): ChannelJob[] {
    if (this.stopped) return [];
    this.stopped = true;
    this.listening.unsubscribe();
    this.answering?.unsubscribe();
    this.answering = null;
    const jobs = [...(this.current === null ? [] : [this.current]), ...this.queue].filter((job) => !job.abandoned);
    this.current = null;
    this.queue.length = 0;
    return jobs;
  }

  /** Sends `?quit` if the socket is idle (a busy daemon thread would not read it); true if sent. */
  quitIfIdle(): boolean {
    if (this.load > 0) return false;
    this.write('?quit');
    return true;
  }

  private pump(): void {
    if (this.current !== null || this.stopped) return;
    const job = this.queue.shift();
    if (job === undefined) return;
    this.current = job;
    if (job.kind === 'command') this.write(job.id, job.query, job.paramJson);
    else this.write(job.line);
  }

  /** Writes fields, each ended by NUL; fields written in one tick leave in one write. */
  private write(...fields: string[]): void {
    for (const field of fields) this.connection.sink.next(field);
  }

  private finish(): void {
    this.current = null;
    this.pump();
  }

  private readonly onLine = (line: string): void => {
    if (this.stopped) return;
    const job = this.current;
    if (job === null) return this.violation(line, 'no command is running');
    if (job.kind === 'control') {
      if (line !== job.expect) return this.violation(line, `expected ${job.expect}`);
      this.finish();
      if (!job.abandoned) job.settle();
      return;
    }
    const reply = parseReplyLine(line);
    if (reply === null) return this.violation(line, 'expected <id> ok|exception|message <json>');
    if (reply.id !== job.id) return this.violation(line, `expected a reply to command ${job.id}`);
    // A reply of any kind while a question is being answered: the late answer would land on the next command.
    if (this.answering !== null) return this.violation(line, `a ${reply.kind} before the question was answered`);
    if (reply.kind === 'message') return this.answer(job, reply.json);
    this.finish();
    if (!job.abandoned) job.settle(reply);
  };

  private answer(job: CommandJob, questionJson: string): void {
    if (job.abandoned) return this.write(job.id, INTERNAL_ERROR);
    let done = false;
    const subscription = defer(() => job.answer(questionJson))
      .pipe(first())
      .subscribe({
        next: (reply) => {
          done = true;
          this.answering = null;
          const problem = fieldProblem(reply, this.maxFieldBytes);
          if (problem === undefined) this.write(job.id, reply);
          else this.handlerFailed(job, problem);
        },
        error: (error: unknown) => {
          done = true;
          this.answering = null;
          this.handlerFailed(job, error instanceof EmptyError ? new Error('the onMessage handler produced no answer') : error);
        },
      });
    if (!done) this.answering = subscription;
  }

  /** Tells the daemon (`internal_error`) and fails the job; the job keeps the socket until its final reply. */
  private handlerFailed(job: CommandJob, cause: unknown): void {
    this.write(job.id, INTERNAL_ERROR);
    if (job.abandoned) return;
    job.abandoned = true;
    job.fail(new HandlerError(cause));
  }

  private violation(line: string, expected: string): void {
    this.onFatal(new JsockdProtocolError('unexpected-reply', `socket ${this.index} sent ${JSON.stringify(line)}: ${expected}`));
  }

  private lost(error: unknown): void {
    if (this.stopped) return;
    const what = error === undefined ? 'closed by the daemon' : 'failed';
    this.onFatal(new JsockdProtocolError('connection-lost', `socket ${this.index} ${what}`, error));
  }
}
