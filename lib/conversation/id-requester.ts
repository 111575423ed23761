import { defer, filter, finalize, map, type Observable } from 'rxjs';
import type { Connection } from '../connection/connection';
import { idEnvelope, type Enveloped, type Envelope } from './envelope';
import { requester, type CorrelationId, type RequestOptions, type RequesterOptions } from './requester';

/** Options of {@link idRequester}: the envelope, plus the requester options that do not concern ids. */
export interface IdRequesterOptions<Req, Rep, In, Out> extends Omit<RequesterOptions<In, Out>, 'correlation' | 'isFinal' | 'isQuestion' | 'answer' | 'answerError'> {
  /** How bodies travel with their ids. Default {@link idEnvelope}: `{ id, body }`. */
  envelope?: Envelope<Req, Rep, In, Out>;
  /** Whether a reply ends its request (a request may get a stream of replies). Default: every reply does. */
  isFinal?: (reply: Rep) => boolean;
}

/** Requests by body, with ids handled for you. */
export interface IdRequester<Req, Rep, In> {
  /** A cold Observable of the reply bodies to `body`: sent with a fresh id on subscribe; see {@link Requester.request}. */
  request(body: Req, options?: RequestOptions): Observable<Rep>;
  /** Incoming messages that answer no pending request (pushes, late replies), as received. */
  readonly unmatched$: Observable<In>;
  /** Requests sent or waiting, not yet finished. */
  readonly pending: number;
}

/**
 * A {@link requester} that numbers requests itself: `request(body)` wraps the body in an envelope
 * with a fresh id (`{ id, body }` by default) and hands back the bodies of the replies that carry
 * that id, so neither side writes correlation code. The server side is {@link serveWithIds}.
 *
 * @example
 * ```ts
 * const rpc = idRequester<string, number>(connection, { timeout: 5_000 }); // connection: { id, body } JSON
 * rpc.request('sum 1 2').subscribe((sum) => console.log(sum));
 * ```
 */
export function idRequester<Req, Rep, In = Enveloped<Rep>, Out = Enveloped<Req>>(
  connection: Connection<In, Out>,
  options: IdRequesterOptions<Req, Rep, In, Out> = {},
): IdRequester<Req, Rep, In> {
  const { envelope = idEnvelope<Req, Rep>() as unknown as Envelope<Req, Rep, In, Out>, isFinal, ...rest } = options;
  /** The id of each request message in flight (the envelope put it there; this spares reading it back). */
  const ids = new Map<Out, CorrelationId>();
  let counter = 0;
  const inner = requester<In, Out>(connection, {
    ...rest,
    correlation: { requestId: (message) => ids.get(message) as CorrelationId, replyId: (message) => envelope.open(message)?.id },
    isFinal: isFinal === undefined ? undefined : (reply) => isFinal((envelope.open(reply) as Enveloped<Rep>).body),
  });
  return {
    request: (body, requestOptions) =>
      defer(() => {
        const id = ++counter;
        const message = envelope.wrap(id, body);
        ids.set(message, id);
        return inner.request(message, requestOptions).pipe(
          map((reply) => envelope.open(reply)),
          filter((opened): opened is Enveloped<Rep> => opened !== undefined),
          map((opened) => opened.body),
          finalize(() => ids.delete(message)),
        );
      }),
    unmatched$: inner.unmatched$,
    get pending() {
      return inner.pending;
    },
  };
}
