import { asyncScheduler, concatMap, defer, Observable, Subject, type ObservableInput, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { Connection } from '../connection/connection';
import { ConnectionLostError, HandlerError, RequestTimeoutError } from '../errors';
import { whenAborted } from '../internal/abort';
import { handlerResult } from '../internal/handler-result';

/** A correlation key: what ties a reply to its request. */
export type CorrelationId = string | number;

/** How replies find their requests when the protocol carries an id. */
export interface Correlation<In, Out> {
  /** The id of an outgoing request. */
  requestId(message: Out): CorrelationId;
  /** The id of an incoming message, or undefined for one that answers no request (a push). */
  replyId(message: In): CorrelationId | undefined;
}

/** Options of {@link requester}. */
export interface RequesterOptions<In, Out> {
  /** Match replies by id. Without it, replies match requests in the order they were sent. */
  correlation?: Correlation<In, Out>;
  /** Whether a reply ends its request. Default: every reply does (one reply per request). */
  isFinal?: (reply: In) => boolean;
  /** Whether a message is a question from the peer, asked during a request (jsockd's `message`). */
  isQuestion?: (message: In) => boolean;
  /** Answers a question; what it returns is sent back, in order, before the request goes on. */
  answer?: (question: In) => Out | ObservableInput<Out>;
  /** The message to send when `answer` fails (jsockd: `internal_error`); without it the request fails with HandlerError. */
  answerError?: (error: unknown, question: In) => Out;
  /** Milliseconds from `request()` subscription to the final reply before RequestTimeoutError. Default: none. */
  timeout?: number;
  /** Requests sent and not yet answered, at most; more wait in order. Use 1 for synchronous protocols. Default unlimited. */
  maxInFlight?: number;
  /** Scheduler of the timeouts. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Per-request options of `request()`. */
export interface RequestOptions {
  /** Aborting cancels the request: it errors with the signal's `reason` (a sent request's late reply is swallowed). */
  readonly signal?: AbortSignal;
}

/** Sends requests over one connection and routes the replies back. */
export interface Requester<In, Out> {
  /**
   * A cold Observable of the replies to `message`: sent on subscribe, completes with the final
   * reply, errors with RequestTimeoutError or ConnectionLostError; unsubscribing cancels, and so
   * does aborting `options.signal` (the request then errors with the signal's reason).
   */
  request(message: Out, options?: RequestOptions): Observable<In>;
  /** Incoming messages that answer no pending request (pushes, late replies). */
  readonly unmatched$: Observable<In>;
  /** Requests sent or waiting, not yet finished. */
  readonly pending: number;
}

interface Pending<In, Out> {
  readonly message: Out;
  readonly subscriber: Subscriber<In>;
  timer: Subscription | null;
  /** Sent on the wire (only sent requests receive replies). */
  sent: boolean;
  /** Cancelled or timed out after sending: its reply is still expected, and swallowed. */
  abandoned: boolean;
}

/**
 * Requests with replies over one connection: correlation by id (or by order), per-request
 * timeouts, cancellation, questions answered mid-request, and a limit of requests in flight.
 * When the connection ends, every pending request fails at once with a ConnectionLostError
 * whose `cause` is why.
 *
 * @example
 * ```ts
 * const rpc = requester(connection, { correlation: { requestId: (m) => m.id, replyId: (r) => r.id }, timeout: 5_000 });
 * rpc.request({ id: 1, method: 'sum', params: [1, 2] }).subscribe((reply) => console.log(reply));
 * ```
 */
export function requester<In, Out>(connection: Connection<In, Out>, options: RequesterOptions<In, Out> = {}): Requester<In, Out> {
  const { correlation, timeout } = options;
  const isFinal = options.isFinal ?? (() => true);
  const maxInFlight = options.maxInFlight ?? Infinity;
  const scheduler = options.scheduler ?? asyncScheduler;
  const unmatched = new Subject<In>();
  const waiting: Array<Pending<In, Out>> = [];
  /** Sent requests in sending order (used for order-matching and for failing them all). */
  const inFlight: Array<Pending<In, Out>> = [];
  const byId = new Map<CorrelationId, Pending<In, Out>>();
  const answers = new Subject<Observable<Out>>();
  let listening: Subscription | null = null;
  let lost: { cause: unknown } | null = null;

  answers.pipe(concatMap((replies) => replies)).subscribe((reply) => connection.sink.next(reply));

  const finish = (entry: Pending<In, Out>): void => {
    entry.timer?.unsubscribe();
    const at = inFlight.indexOf(entry);
    if (at !== -1) inFlight.splice(at, 1);
    if (correlation) byId.delete(correlation.requestId(entry.message));
    pump();
  };

  const pump = (): void => {
    while (inFlight.length < maxInFlight && waiting.length > 0 && lost === null) {
      const entry = waiting.shift() as Pending<In, Out>;
      entry.sent = true;
      inFlight.push(entry);
      if (correlation) byId.set(correlation.requestId(entry.message), entry);
      connection.sink.next(entry.message);
    }
  };

  const failAll = (cause: unknown): void => {
    lost = { cause };
    const everyone = [...inFlight, ...waiting];
    inFlight.length = waiting.length = 0;
    byId.clear();
    for (const entry of everyone) {
      entry.timer?.unsubscribe();
      if (!entry.abandoned) entry.subscriber.error(new ConnectionLostError(cause));
    }
    unmatched.complete();
    answers.complete();
  };

  const answerQuestion = (question: In, entry: Pending<In, Out> | undefined): void => {
    const attempt = defer(() => {
      const result = (options.answer as (q: In) => Out | ObservableInput<Out>)(question);
      return handlerResult(result as Out | PromiseLike<Out> | Observable<Out>);
    });
    answers.next(
      new Observable<Out>((subscriber) =>
        attempt.subscribe({
          next: (reply) => subscriber.next(reply),
          complete: () => subscriber.complete(),
          error: (error: unknown) => {
            let fallback: { reply: Out } | null = null;
            try {
              if (options.answerError) fallback = { reply: options.answerError(error, question) };
            } catch (answerError) {
              error = answerError;
            }
            if (fallback !== null) {
              subscriber.next(fallback.reply);
            } else if (entry && !entry.abandoned) {
              abandon(entry);
              entry.subscriber.error(new HandlerError(error));
            }
            subscriber.complete();
          },
        }),
      ),
    );
  };

  const onMessage = (message: In): void => {
    let entry: Pending<In, Out> | undefined;
    if (correlation) {
      const id = correlation.replyId(message);
      entry = id === undefined ? undefined : byId.get(id);
    } else {
      entry = inFlight[0];
    }
    if (options.isQuestion?.(message) === true && options.answer) {
      answerQuestion(message, entry);
      return;
    }
    if (entry === undefined) {
      unmatched.next(message);
      return;
    }
    const final = isFinal(message);
    if (!entry.abandoned) entry.subscriber.next(message);
    if (final) {
      finish(entry);
      if (!entry.abandoned) entry.subscriber.complete();
    }
  };

  const listen = (): void => {
    if (listening !== null) return;
    listening = connection.messages$.subscribe({
      next: onMessage,
      error: (error: unknown) => failAll(error),
      complete: () => failAll(undefined),
    });
  };

  const request = (message: Out, requestOptions: RequestOptions = {}): Observable<In> =>
    new Observable<In>((subscriber) => {
      if (lost !== null) {
        subscriber.error(new ConnectionLostError(lost.cause));
        return undefined;
      }
      if (requestOptions.signal?.aborted === true) {
        subscriber.error(requestOptions.signal.reason);
        return undefined;
      }
      listen();
      const entry: Pending<In, Out> = { message, subscriber, timer: null, sent: false, abandoned: false };
      if (timeout !== undefined) {
        entry.timer = scheduler.schedule(() => {
          entry.timer = null;
          abandon(entry);
          subscriber.error(new RequestTimeoutError(timeout));
        }, timeout);
      }
      waiting.push(entry);
      pump();
      const stopAbort = whenAborted(requestOptions.signal, (reason) => {
        if (entry.abandoned) return;
        abandon(entry);
        subscriber.error(reason);
      });
      return () => {
        stopAbort();
        abandon(entry);
      };
    });

  /** Stops delivering to a request; a sent one keeps its place until its reply arrives, if order matters. */
  const abandon = (entry: Pending<In, Out>): void => {
    if (entry.abandoned) return;
    entry.abandoned = true;
    entry.timer?.unsubscribe();
    const queued = waiting.indexOf(entry);
    if (queued !== -1) waiting.splice(queued, 1);
    // With ids, a late reply can be told apart: free the slot now. In order-matching, the reply
    // still comes and must be consumed by this entry, so it keeps its place.
    else if (entry.sent && correlation) finish(entry);
  };

  return {
    request,
    // Subscribing starts reading, so pushes arrive even before the first request.
    unmatched$: defer(() => {
      listen();
      return unmatched;
    }),
    get pending() {
      return inFlight.filter((e) => !e.abandoned).length + waiting.length;
    },
  };
}
