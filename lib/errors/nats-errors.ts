/** Errors of the NATS bridge (`rxjs-socket/nats`). */
import { RxSocketError } from './rxsocket-error';

/**
 * A request over NATS reached no one: nothing subscribes to its subject (the server says so at
 * once, instead of letting the request time out).
 *
 * @example
 * ```ts
 * rpc.request(question).subscribe({ error: (e) => e instanceof NoRespondersError && console.warn(`nobody serves ${e.subject}`) });
 * ```
 */
export class NoRespondersError extends RxSocketError {
  constructor(
    /** The subject the request was sent to. */
    readonly subject: string,
  ) {
    super('RXSOCKET_ERR_NO_RESPONDERS', `no responders on subject ${subject}`);
  }
}
