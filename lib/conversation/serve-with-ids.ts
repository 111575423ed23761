import { EMPTY, filter, map, type Observable, type OperatorFunction } from 'rxjs';
import type { Connection } from '../connection/connection';
import { handlerResult } from '../internal/handler-result';
import { idEnvelope, type Enveloped, type Envelope } from './envelope';
import { serve, type ServeOptions, type ServedConnection } from './serve';

/** Answers one request body: nothing, one reply body, or an Observable or Promise of reply bodies. */
export type BodyHandler<Req, Rep, In, Out> = (
  body: Req,
  connection: Connection<In, Out>,
) => Rep | Observable<Rep> | PromiseLike<Rep | null | undefined> | null | undefined | void;

/** Options of {@link serveWithIds}: {@link serve}'s, plus the envelope. */
export interface ServeWithIdsOptions<Req, Rep, In, Out> extends ServeOptions {
  /** How bodies travel with their ids. Default {@link idEnvelope}: `{ id, body }`. */
  envelope?: Envelope<Rep, Req, In, Out>;
}

/**
 * {@link serve} for {@link idRequester} clients: the handler gets each request's body, and every
 * reply body it produces goes back in an envelope with the request's id. Messages that carry no
 * id are ignored. Since ids match replies, `concurrency` above 1 is safe: replies may overtake.
 *
 * @example
 * ```ts
 * listen({ port: 0, codec: json<Enveloped<string>>() })
 *   .pipe(serveWithIds((text: string) => text.length, { concurrency: 8 }))
 *   .subscribe();
 * ```
 */
export function serveWithIds<Req, Rep, In = Enveloped<Req>, Out = Enveloped<Rep>>(
  handler: BodyHandler<Req, Rep, In, Out>,
  options: ServeWithIdsOptions<Req, Rep, In, Out> = {},
): OperatorFunction<Connection<In, Out>, ServedConnection<In, Out>> {
  const { envelope = idEnvelope<Rep, Req>() as unknown as Envelope<Rep, Req, In, Out>, ...serveOptions } = options;
  return serve<In, Out>((message, connection) => {
    const opened = envelope.open(message);
    if (opened === undefined) return EMPTY;
    const result = handler(opened.body, connection);
    if (result === undefined || result === null) return EMPTY;
    return handlerResult<Rep | null | undefined>(result).pipe(
      filter((reply): reply is Rep => reply !== undefined && reply !== null),
      map((reply) => envelope.wrap(opened.id, reply)),
    );
  }, serveOptions);
}
