import { Observable } from 'rxjs';
import { RequestTimeoutError } from '../../errors';
import type { ChannelJob, CommandChannel } from './command-channel';
import { JsockdExceptionError } from './jsockd-errors';
import type { ResolvedJsockdOptions } from './jsockd-options';
import { fieldProblem } from './wire-lines';

/**
 * Spreads work over the sockets of a running daemon: each command goes to the first idle socket,
 * else to the next socket in turn (round robin), where it waits behind what runs there. Commands
 * and resets are cold Observables with per-command timeouts; ids are `1`, `2`, ... per client.
 */
export class CommandDispatcher {
  private lastId = 0;
  private turn = -1;

  constructor(
    private readonly channels: readonly CommandChannel[],
    private readonly options: Pick<ResolvedJsockdOptions, 'scheduler' | 'maxMessageBytes'>,
    /** Why nothing can run now (the sticky fatal error, or the client is closing), or undefined. */
    private readonly refusal: () => unknown,
  ) {}

  /** Runs one command: the raw JSON result, or an error; unsubscribing cancels it. */
  command(query: string, paramJson: string, answer: (questionJson: string) => Observable<string>, timeout: number | undefined): Observable<string> {
    return new Observable<string>((subscriber) => {
      const { maxMessageBytes } = this.options;
      const refused = this.refusal() ?? fieldProblem(query, maxMessageBytes) ?? fieldProblem(paramJson, maxMessageBytes);
      if (refused !== undefined) return subscriber.error(refused);
      const job: ChannelJob = {
        kind: 'command',
        id: String(++this.lastId),
        query,
        paramJson,
        answer,
        abandoned: false,
        settle: (reply) => {
          if (reply.kind === 'exception') return subscriber.error(new JsockdExceptionError(reply.json));
          subscriber.next(reply.json);
          subscriber.complete();
        },
        fail: (error) => subscriber.error(error),
      };
      return this.dispatch(job, this.pick(), timeout, (error) => subscriber.error(error));
    });
  }

  /** Sends `?reset` on every socket (after what runs there) and completes when each has answered. */
  reset(): Observable<void> {
    return new Observable<void>((subscriber) => {
      const refused = this.refusal();
      if (refused !== undefined) return subscriber.error(refused);
      let left = this.channels.length;
      const teardowns = this.channels.map((channel) =>
        this.dispatch(
          {
            kind: 'control',
            line: '?reset',
            expect: 'reset',
            abandoned: false,
            settle: () => --left === 0 && subscriber.complete(),
            fail: (error) => subscriber.error(error),
          },
          channel,
          undefined,
          () => undefined,
        ),
      );
      return () => teardowns.forEach((teardown) => teardown());
    });
  }

  /** Queues `job` on `channel` with its timeout; returns its teardown (cancels it). */
  private dispatch(job: ChannelJob, channel: CommandChannel, timeout: number | undefined, timedOut: (error: unknown) => void): () => void {
    channel.submit(job);
    const timer =
      timeout === undefined
        ? null
        : this.options.scheduler.schedule(() => {
            channel.withdraw(job);
            timedOut(new RequestTimeoutError(timeout));
          }, timeout);
    return () => {
      timer?.unsubscribe();
      channel.withdraw(job);
    };
  }

  /** The first idle socket, else the next one in turn. */
  private pick(): CommandChannel {
    const idle = this.channels.find((channel) => channel.load === 0);
    if (idle !== undefined) return idle;
    this.turn = (this.turn + 1) % this.channels.length;
    return this.channels[this.turn] as CommandChannel;
  }
}
