/**
 * The Standard Schema v1 interface (standardschema.dev), as types only: what zod (3.24+),
 * valibot, arktype and others implement under the `~standard` key. Written out here so that
 * rxsocket depends on no schema library.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The spec's properties, under a key no schema library uses for anything else. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

// A namespace, as the spec itself declares it, so InferOutput reads as in the schema libraries.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace StandardSchemaV1 {
  /** The properties under `~standard`. */
  export interface Props<Input = unknown, Output = Input> {
    /** The spec's version. */
    readonly version: 1;
    /** The library that made the schema (`zod`, `valibot`, ...). */
    readonly vendor: string;
    /** Checks a value: the (possibly transformed) value, or issues. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** The schema's types, for inference only. */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** A validation's outcome: the value, or issues. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** A value the schema accepted. */
  export interface SuccessResult<Output> {
    /** The value, as the schema outputs it. */
    readonly value: Output;
    /** Absent on success. */
    readonly issues?: undefined;
  }
  /** A value the schema rejected. */
  export interface FailureResult {
    /** Why. */
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem: a message, and where in the value. */
  export interface Issue {
    /** What is wrong. */
    readonly message: string;
    /** Where in the value. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** One step of an issue's path. */
  export interface PathSegment {
    /** A property name or index. */
    readonly key: PropertyKey;
  }
  /** Carries the types only (never present at run time). */
  export interface Types<Input = unknown, Output = Input> {
    /** What the schema accepts. */
    readonly input: Input;
    /** What it gives back. */
    readonly output: Output;
  }
  /** The input type of a schema. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** The output type of a schema: what a {@link validated} codec decodes to. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];
}
