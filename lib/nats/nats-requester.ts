import { randomBytes } from 'node:crypto';
import { asyncScheduler, Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Codec } from '../codec/codec';
import { decodeFrame, encodeValue } from '../codec/codec-operators';
import type { CodecPair } from '../connection/connection-options';
import type { RequestOptions } from '../conversation/requester';
import { ConnectionLostError, FrameTooLargeError, NoRespondersError, RequestTimeoutError } from '../errors';
import { whenAborted } from '../internal/abort';
import { splitCodec } from './codec-pair';
import { natsStatus } from './nats-status';
import { subjectMessages } from './subject-messages';

/** Options of {@link natsRequester}. */
export interface NatsRequesterOptions<Req, Rep> {
  /** Encodes requests and decodes replies: one codec for both, or `{ in, out }` (`in` decodes replies). */
  codec: (Codec<Rep> & Codec<Req>) | CodecPair<Rep, Req>;
  /** Milliseconds from `request()` subscription to the reply before RequestTimeoutError. Default: none. */
  timeout?: number;
  /** Scheduler of the timeouts. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Sends requests over NATS request/reply and routes the replies back. */
export interface NatsRequester<Req, Rep> {
  /**
   * A cold Observable of the reply to `message`: published on subscribe, emits the reply and
   * completes; errors with RequestTimeoutError, NoRespondersError, or ConnectionLostError (the
   * NATS connection dropped or closed while it waited, or was down when it was sent). Unsubscribing
   * cancels, and so does aborting `options.signal` (the request then errors with its reason).
   */
  request(message: Req, options?: RequestOptions): Observable<Rep>;
  /** Requests sent and not yet answered. */
  readonly pending: number;
  /** Unsubscribes its inbox: pending requests fail with ConnectionLostError, and so do later ones. */
  close(): void;
}

/**
 * A requester over NATS: like `requester` on a socket, with the same timeout and
 * ConnectionLostError semantics, but each request goes to `subject` and is answered by whichever
 * server of the queue group NATS picks (see {@link serveSubject}). Replies come back on one inbox
 * subscription per requester, matched by a request number. While the NATS connection is down,
 * requests fail at once with a ConnectionLostError (NATS core would lose them silently).
 *
 * @example
 * ```ts
 * const rpc = natsRequester<number[], number>(nc, 'math.sum', { codec: { in: json<number>(), out: json<number[]>() }, timeout: 2_000 });
 * rpc.request([1, 2, 3]).subscribe((sum) => console.log(sum)); // 6
 * ```
 */
export function natsRequester<Req, Rep>(nc: NatsConnection, subject: string, options: NatsRequesterOptions<Req, Rep>): NatsRequester<Req, Rep> {
  const codec = splitCodec(options.codec);
  const scheduler = options.scheduler ?? asyncScheduler;
  const inbox = `_INBOX.${randomBytes(12).toString('hex')}`;
  const pending = new Map<string, Subscriber<Rep>>();
  let next = 0;
  let down: unknown = null;
  let replies: Subscription | null = null;
  let status: Subscription | null = null;

  const failAll = (cause: unknown): void => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const subscriber of waiting) subscriber.error(new ConnectionLostError(cause));
  };

  const onReply = (message: Msg): void => {
    const id = message.subject.slice(inbox.length + 1);
    const subscriber = pending.get(id);
    if (subscriber === undefined) return;
    pending.delete(id);
    if (message.headers?.code === 503) {
      subscriber.error(new NoRespondersError(subject));
      return;
    }
    let reply: Rep;
    try {
      reply = decodeFrame(codec.in, message.data);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    subscriber.next(reply);
    subscriber.complete();
  };

  const listen = (): void => {
    if (replies !== null) return;
    status = natsStatus(nc).subscribe(({ status: now, error }) => {
      if (now === 'connected') {
        down = null;
        return;
      }
      down = now === 'closed' ? (error ?? new Error('NATS connection closed')) : new Error('NATS connection lost');
      failAll(down);
    });
    replies = subjectMessages(nc, `${inbox}.*`, null).subscribe({ next: onReply, error: failAll, complete: () => failAll(new Error('NATS connection closed')) });
  };

  const request = (message: Req, requestOptions: RequestOptions = {}): Observable<Rep> =>
    new Observable<Rep>((subscriber) => {
      if (requestOptions.signal?.aborted === true) {
        subscriber.error(requestOptions.signal.reason);
        return undefined;
      }
      listen();
      if (down !== null || nc.isClosed()) {
        subscriber.error(new ConnectionLostError(down ?? new Error('NATS connection closed')));
        return undefined;
      }
      let payload: Uint8Array;
      try {
        payload = encodeValue(codec.out, message);
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      const max = nc.info?.max_payload;
      if (max !== undefined && payload.byteLength > max) {
        subscriber.error(new FrameTooLargeError(payload.byteLength, max));
        return undefined;
      }
      const id = String(next++);
      pending.set(id, subscriber);
      const timer =
        options.timeout === undefined
          ? null
          : scheduler.schedule(() => {
              pending.delete(id);
              subscriber.error(new RequestTimeoutError(options.timeout as number));
            }, options.timeout);
      const stopAbort = whenAborted(requestOptions.signal, (reason) => {
        pending.delete(id);
        subscriber.error(reason);
      });
      try {
        nc.publish(subject, payload, { reply: `${inbox}.${id}` });
      } catch (error) {
        pending.delete(id);
        subscriber.error(new ConnectionLostError(error));
      }
      return () => {
        timer?.unsubscribe();
        stopAbort();
        pending.delete(id);
      };
    });

  return {
    request,
    get pending() {
      return pending.size;
    },
    close() {
      listen();
      status?.unsubscribe();
      replies?.unsubscribe();
      down = new Error('requester closed');
      failAll(down);
    },
  };
}
