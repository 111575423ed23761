import type { Codec } from '../codec/codec';
import type { Connection } from '../connection/connection';
import type { CodecPair, ConnectionOptions, FramingPair } from '../connection/connection-options';
import { fromSocket } from '../connection/from-socket';
import type { Framing } from '../framing/framing';
import { wirePair, type Wire } from './wire-pair';

/**
 * Options of {@link connectionPair}: the connection options of the client end (framing, codec,
 * timeouts, `scheduler`), which the server end shares mirrored (its `in` is the client's `out`),
 * plus per-end overrides and the wire's buffer size.
 *
 * @example
 * ```ts
 * connectionPair<string, Request>({ framing: { in: delimiter(), out: lengthPrefix() }, codec: { in: utf8(), out: json() }, server: { allowHalfOpen: true } });
 * ```
 */
export interface ConnectionPairOptions<In = Uint8Array, Out = In> extends ConnectionOptions<In, Out> {
  /** Options of the client end only, over the shared ones. */
  client?: ConnectionOptions<In, Out>;
  /** Options of the server end only, over the shared ones (mirrored). */
  server?: ConnectionOptions<Out, In>;
  /** Bytes in transit one way before the writer must wait. Default 16 KiB. */
  highWaterMark?: number;
}

/**
 * Two connected {@link Connection}s and the wire between them.
 *
 * @example
 * ```ts
 * const { client, server, wire }: ConnectionPair<string, string> = connectionPair({ codec: utf8() });
 * ```
 */
export interface ConnectionPair<In, Out> {
  /** The client end: reads `In`, writes `Out`. */
  readonly client: Connection<In, Out>;
  /** The server end: reads what the client writes, writes what it reads. */
  readonly server: Connection<Out, In>;
  /** What happens to bytes in between: chunking, delay, stall, reset, half-close. */
  readonly wire: Wire;
}

function isFramingPair(framing: Framing | FramingPair): framing is FramingPair {
  return 'in' in framing && 'out' in framing;
}

function isCodecPair<In, Out>(codec: Codec<In> | CodecPair<In, Out>): codec is CodecPair<In, Out> {
  return 'in' in codec && 'out' in codec;
}

/** The client's options as seen from the server: directions swapped. */
function mirrored<In, Out>(options: ConnectionOptions<In, Out>): ConnectionOptions<Out, In> {
  const { framing, codec, ...rest } = options;
  const result: ConnectionOptions<Out, In> = { ...rest };
  if (framing !== undefined) result.framing = isFramingPair(framing) ? { in: framing.out, out: framing.in } : framing;
  if (codec !== undefined) {
    // A single codec serves both directions: In and Out are the same type then.
    result.codec = isCodecPair(codec) ? { in: codec.out, out: codec.in } : (codec);
  }
  return result;
}

/**
 * Two connected connections in memory, through the real framing, codec, writer and timer code
 * (each end is `fromSocket` over one end of a {@link wirePair}), with control over the bytes in
 * between: cut (`wire.chunking`), delayed, stalled and released, half-closed or reset.
 * Streams deliver asynchronously: await events or `settle()` between steps, and run timers on a
 * virtual scheduler with `scheduler` (flushed by the test). For exact marble timing use
 * {@link testConnection} instead.
 *
 * @example
 * ```ts
 * const { client, server, wire } = connectionPair({ framing: lengthPrefix(), codec: json() });
 * wire.chunking('bytewise');
 * server.messages$.subscribe((m) => server.sink.next(m)); // echo
 * client.sink.next({ hello: 'world' });
 * console.log(await firstValueFrom(client.messages$));    // { hello: 'world' }, sent one byte at a time
 * ```
 */
export function connectionPair<In = Uint8Array, Out = In>(options: ConnectionPairOptions<In, Out> = {}): ConnectionPair<In, Out> {
  const { client: clientOnly, server: serverOnly, highWaterMark, ...shared } = options;
  const ends = wirePair({ scheduler: shared.scheduler, highWaterMark });
  return {
    client: fromSocket<In, Out>(ends.client, { ...shared, ...clientOnly }),
    server: fromSocket<Out, In>(ends.server, { ...mirrored(shared), ...serverOnly }),
    wire: ends.wire,
  };
}
