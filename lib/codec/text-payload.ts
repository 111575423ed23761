import type { Codec } from './codec';

/**
 * A codec's payload as text: the string whose UTF-8 bytes are exactly what `encode` returns,
 * throwing what `encode` throws; `undefined` when the value has no such text (then `encode` runs).
 */
export type TextPayload<T> = (value: T) => string | undefined;

/**
 * The built-in codecs that can give their payload as text, so a writer can put the UTF-8 bytes
 * straight into its batch. Kept here, keyed by the codec object, rather than as a method of
 * `Codec`: a wrapper (`validated`, a bad-frame policy) is a new object and never inherits a text
 * path that would skip its own `encode`, and user codecs cannot get the contract wrong.
 */
const textPayloads = new WeakMap<object, TextPayload<never>>();

/** @internal Marks `codec` as one whose payload `text` gives as text; returns the codec. */
export function withTextPayload<T>(codec: Codec<T>, text: TextPayload<T>): Codec<T> {
  textPayloads.set(codec, text);
  return codec;
}

/** @internal The text form of `codec`'s payloads, if it has one. */
export function textPayloadOf<T>(codec: Codec<T>): TextPayload<T> | undefined {
  return textPayloads.get(codec) as TextPayload<T> | undefined;
}
