import type { CorrelationId } from './requester';

/** A message body with the id that ties a reply to its request: the default envelope's wire shape. */
export interface Enveloped<Body> {
  /** Ties a reply to its request. */
  readonly id: CorrelationId;
  /** What the application sent. */
  readonly body: Body;
}

/**
 * How bodies travel with an id: `wrap` puts an outgoing body in a message (it must carry the id),
 * `open` finds the id and body of an incoming message (undefined for one that carries none, such
 * as a push). A client's envelope sends requests and opens replies; a server's does the reverse.
 *
 * @example
 * ```ts
 * // JSON-RPC 2.0 style, for a client: { jsonrpc, id, method, params } out, { id, result } in.
 * const rpc: Envelope<Call, unknown, { id?: number; result?: unknown }, RpcRequest> = {
 *   wrap: (id, call) => ({ jsonrpc: '2.0', id, method: call.method, params: call.params }),
 *   open: (reply) => (reply.id === undefined ? undefined : { id: reply.id, body: reply.result }),
 * };
 * ```
 */
export interface Envelope<Sent, Received, In, Out> {
  /** The message that carries `body` with `id`. */
  wrap(id: CorrelationId, body: Sent): Out;
  /** The id and body of an incoming message, or undefined when it carries no id. */
  open(message: In): Enveloped<Received> | undefined;
}

/**
 * The default envelope: `{ id, body }` objects (for a JSON codec), ids being numbers from 1. A
 * message without a numeric or string `id` is not enveloped (a push).
 *
 * @example
 * ```ts
 * const envelope = idEnvelope<string, number>();
 * envelope.wrap(7, 'sum 1 2'); // { id: 7, body: 'sum 1 2' }
 * ```
 */
export function idEnvelope<Sent, Received>(): Envelope<Sent, Received, Enveloped<Received>, Enveloped<Sent>> {
  return {
    wrap: (id, body) => ({ id, body }),
    open: (message) =>
      typeof message === 'object' && message !== null && (typeof message.id === 'number' || typeof message.id === 'string')
        ? message
        : undefined,
  };
}
