import type { Codec } from '../codec/codec';
import { encodeValue } from '../codec/codec-operators';
import type { FrameParts, Framing } from '../framing/framing';

/** Frames up to this size are made into one buffer (then copied into each writer's batch). */
const WHOLE_FRAME_BYTES = 16 * 1024;
const EMPTY = new Uint8Array(0);

/** What an encoding or framing gave: the result, or the error it threw (thrown again to every connection). */
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * One message being sent to many connections: the last encoding and framing are kept and shared,
 * so connections that share a codec and framing (almost always all of them) cost one of each. A failure is remembered and thrown
 * to each connection that asks, so each fails as `sink.next` would have made it fail. Internal:
 * built by `broadcast`.
 */
export class SharedMessage<Out> {
  private codec: Codec<Out> | null = null;
  private encoded: Outcome<Uint8Array> | null = null;
  private framing: Framing | null = null;
  private framed: Outcome<FrameParts> | null = null;

  constructor(readonly message: Out) {}

  /** The payload bytes under `codec` (throws the typed error `sink.next` would meet). */
  payload(codec: Codec<Out>): Uint8Array {
    if (codec !== this.codec || this.encoded === null) {
      this.codec = codec;
      this.encoded = attempt(() => encodeValue(codec, this.message));
      this.framing = this.framed = null;
    }
    if (!this.encoded.ok) throw this.encoded.error;
    return this.encoded.value;
  }

  /**
   * The wire bytes of `payload` (the one {@link payload} returned) under `framing`: one buffer for
   * a small frame (`[frame, empty]`), the framing's own parts for a large one.
   */
  frame(framing: Framing, payload: Uint8Array): FrameParts {
    if (framing !== this.framing || this.framed === null) {
      this.framing = framing;
      this.framed = attempt(() => frameOnce(framing, payload));
    }
    if (!this.framed.ok) throw this.framed.error;
    return this.framed.value;
  }
}

function frameOnce(framing: Framing, payload: Uint8Array): FrameParts {
  const most = framing.overheadBytes + payload.byteLength;
  if (most > WHOLE_FRAME_BYTES) return framing.encodeFrame(payload);
  const whole = Buffer.allocUnsafe(most);
  const end = framing.encodeInto(payload, whole, 0);
  return [end === most ? whole : whole.subarray(0, end), EMPTY];
}

function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}
