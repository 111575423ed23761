import { ValidationError } from '../errors';
import { isPromiseLike } from '../internal/handler-result';
import type { Codec } from './codec';
import type { StandardSchemaV1 } from './standard-schema';

/**
 * A codec whose decoded values are checked by a schema of any library that implements Standard
 * Schema v1 (zod 3.24+, valibot, arktype, ...), and typed by it. A value the schema rejects is a
 * DecodeError whose `cause` is a ValidationError with the schema's `issues` (so it closes the
 * connection, or is skipped with `badFrames: 'skip'`). The schema's output (defaults, transforms)
 * is what you receive. Outgoing values are encoded as they are. Schemas that validate
 * asynchronously are refused: decoding is synchronous.
 *
 * @example
 * ```ts
 * const Order = z.object({ id: z.number(), items: z.array(z.string()) });
 * connect({ port, codec: validated(json(), Order) }); // Connection<{ id: number; items: string[] }, ...>
 * ```
 */
export function validated<Schema extends StandardSchemaV1>(codec: Codec<unknown>, schema: Schema): Codec<StandardSchemaV1.InferOutput<Schema>> {
  type Output = StandardSchemaV1.InferOutput<Schema>;
  const check = schema['~standard'].validate;
  return {
    name: `${codec.name}+${schema['~standard'].vendor}`,
    encode: (value: Output) => codec.encode(value),
    decode(frame) {
      const result = check(codec.decode(frame));
      if (isPromiseLike(result)) throw new TypeError('the schema validates asynchronously; validated() needs a synchronous one');
      if (result.issues !== undefined) throw new ValidationError(result.issues);
      return result.value;
    },
  };
}
