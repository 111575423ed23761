import type { Codec } from '../codec/codec';
import type { CodecPair } from '../connection/connection-options';

/** The incoming and outgoing codecs of `codec` (one codec for both directions, or a pair). Internal. */
export function splitCodec<In, Out>(codec: (Codec<In> & Codec<Out>) | CodecPair<In, Out>): { in: Codec<In>; out: Codec<Out> } {
  return 'in' in codec && 'out' in codec ? codec : { in: codec, out: codec };
}
