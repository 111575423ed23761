import { catchError, defer, EMPTY, map, mergeMap, take, type Observable } from 'rxjs';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Codec } from '../codec/codec';
import { decodeFrame, encodeValue } from '../codec/codec-operators';
import type { CodecPair } from '../connection/connection-options';
import { FrameTooLargeError, HandlerError, type RxSocketError } from '../errors';
import { handlerResult } from '../internal/handler-result';
import { splitCodec } from './codec-pair';
import { subjectMessages } from './subject-messages';

/** Answers one request: a reply, a Promise or Observable of it (its first value), or nothing (no answer). */
export type SubjectHandler<Req, Rep> = (request: Req, subject: string) => Rep | Observable<Rep> | PromiseLike<Rep | null | undefined> | null | undefined | void;

/** Options of {@link serveSubject}. */
export interface ServeSubjectOptions<Req, Rep> {
  /** Decodes requests and encodes replies: one codec for both, or `{ in, out }`. */
  codec: (Codec<Req> & Codec<Rep>) | CodecPair<Req, Rep>;
  /** The queue group: each request goes to one server of the group (several nodes share the load). Default `'rxsocket'`; `null` for none (every server answers, the first reply wins). */
  queue?: string | null;
  /** Requests handled at once by this server. Default 64; more wait in order (NATS counts them as pending). */
  concurrency?: number;
}

/**
 * Serves requests sent over NATS request/reply (by {@link natsRequester}, or any NATS client) on
 * `subject`, in a queue group so that several nodes share the load: each request is decoded,
 * given to `handler`, and its reply encoded and sent back. Subscribing starts serving,
 * unsubscribing stops. A request that fails (it cannot be decoded, the handler fails, the reply
 * cannot be encoded or is over `max_payload`) is left unanswered and its error emitted
 * (`DecodeError`, `HandlerError`, `EncodeError`, `FrameTooLargeError`): the requester gets a
 * `RequestTimeoutError`. Completes when the NATS connection closes.
 *
 * @example
 * ```ts
 * serveSubject(nc, 'math.sum', (numbers: number[]) => numbers.reduce((a, b) => a + b, 0), {
 *   codec: { in: json<number[]>(), out: json<number>() },
 * })
 *   .subscribe((error) => console.warn('request failed', error.code));
 * ```
 */
export function serveSubject<Req, Rep>(
  nc: NatsConnection,
  subject: string,
  handler: SubjectHandler<Req, Rep>,
  options: ServeSubjectOptions<Req, Rep>,
): Observable<RxSocketError> {
  const codec = splitCodec(options.codec);
  const queue = options.queue === undefined ? 'rxsocket' : options.queue;
  const answer = (message: Msg): Observable<RxSocketError> =>
    defer(() => {
      const request = decodeFrame(codec.in, message.data);
      let result: ReturnType<SubjectHandler<Req, Rep>>;
      try {
        result = handler(request, message.subject);
      } catch (error) {
        throw new HandlerError(error);
      }
      if (result === undefined || result === null) return EMPTY;
      return handlerResult<Rep | null | undefined>(result).pipe(
        take(1),
        catchError((error: unknown) => {
          throw new HandlerError(error);
        }),
        map((reply) => {
          if (reply === undefined || reply === null || message.reply === undefined || message.reply === '') return;
          const payload = encodeValue(codec.out, reply);
          const max = nc.info?.max_payload;
          if (max !== undefined && payload.byteLength > max) throw new FrameTooLargeError(payload.byteLength, max);
          message.respond(payload);
        }),
      );
    }).pipe(
      mergeMap(() => EMPTY),
      catchError((error: RxSocketError) => [error]),
    );
  return subjectMessages(nc, subject, queue).pipe(mergeMap(answer, options.concurrency ?? 64));
}
