/** Errors of framings and codecs: bad input on the wire, or values that cannot be encoded. */
import type { StandardSchemaV1 } from '../codec/standard-schema';
import { describe, RxSocketError } from './rxsocket-error';

/**
 * A frame is larger than `maxFrameBytes`. Raised the moment the size is known, before any of the
 * payload is buffered; for delimiter framing, as soon as the unterminated data passes the limit
 * (then `declared` is the number of bytes seen so far without a delimiter). Also raised by
 * encoders, which enforce the same limit.
 *
 * @example
 * ```ts
 * if (error instanceof FrameTooLargeError) console.warn(`peer declared ${error.declared} bytes, limit ${error.max}`);
 * ```
 */
export class FrameTooLargeError extends RxSocketError {
  constructor(
    /** The declared (or, for delimiters, already received) payload size in bytes. */
    readonly declared: number,
    /** The configured maximum. */
    readonly max: number,
  ) {
    super('RXSOCKET_ERR_FRAME_TOO_LARGE', `frame of ${declared} bytes exceeds maxFrameBytes ${max}`);
  }
}

/**
 * A length field that counts its own header declares fewer bytes than the header itself.
 *
 * @example
 * ```ts
 * if (error instanceof BadLengthError) console.warn(`length ${error.declared} < header ${error.min}`);
 * ```
 */
export class BadLengthError extends RxSocketError {
  constructor(
    /** The declared length. */
    readonly declared: number,
    /** The smallest valid length (the header size). */
    readonly min: number,
  ) {
    super('RXSOCKET_ERR_BAD_LENGTH', `declared length ${declared} is less than the header size ${min}`);
  }
}

/**
 * The bytes where a header-prefix frame must start are not the configured magic.
 *
 * @example
 * ```ts
 * if (error instanceof BadMagicError) console.warn(`got ${Buffer.from(error.got).toString('hex')}`);
 * ```
 */
export class BadMagicError extends RxSocketError {
  constructor(
    /** The bytes found where the magic was expected (up to the magic's length). */
    readonly got: Uint8Array,
    /** The configured magic. */
    readonly expected: Uint8Array,
  ) {
    super('RXSOCKET_ERR_BAD_MAGIC', `bad magic: expected ${hex(expected)}, got ${hex(got)}`);
  }
}

/**
 * The CRC-32 carried in a frame header does not match the CRC-32 of its payload.
 *
 * @example
 * ```ts
 * if (error instanceof ChecksumMismatchError) console.warn(error.expected, error.actual);
 * ```
 */
export class ChecksumMismatchError extends RxSocketError {
  constructor(
    /** The checksum the header declared. */
    readonly expected: number,
    /** The checksum computed over the received payload. */
    readonly actual: number,
  ) {
    super(
      'RXSOCKET_ERR_CHECKSUM_MISMATCH',
      `checksum mismatch: header says ${expected.toString(16).padStart(8, '0')}, payload has ${actual.toString(16).padStart(8, '0')}`,
    );
  }
}

/**
 * The input ended in the middle of a frame.
 *
 * @example
 * ```ts
 * if (error instanceof UnexpectedEndError) console.warn(`cut off at ${error.have} of ${error.need} bytes`);
 * ```
 */
export class UnexpectedEndError extends RxSocketError {
  constructor(
    /** Bytes of the unfinished frame received (header included). */
    readonly have: number,
    /** Bytes the frame needs in total (header included); for delimiters, the least it could need. */
    readonly need: number,
  ) {
    super('RXSOCKET_ERR_UNEXPECTED_END', `input ended mid-frame: have ${have} of ${need} bytes`);
  }
}

/**
 * A varint length field runs past 10 bytes (what a 64-bit length takes) without ending, however
 * small its value: zero padding must not keep a decoder reading a length forever.
 *
 * @example
 * ```ts
 * if (error instanceof BadVarintError) console.warn(`length field of ${error.bytes} bytes and counting`);
 * ```
 */
export class BadVarintError extends RxSocketError {
  constructor(
    /** Bytes of the length field read when it was refused. */
    readonly bytes: number,
  ) {
    super('RXSOCKET_ERR_BAD_VARINT', `varint length field longer than ${bytes - 1} bytes`);
  }
}

/**
 * A decoded value does not satisfy the schema of a {@link validated} codec. Delivered as the cause
 * of a DecodeError, like any other codec failure.
 *
 * @example
 * ```ts
 * if (error instanceof DecodeError && error.cause instanceof ValidationError) console.warn(error.cause.issues);
 * ```
 */
export class ValidationError extends RxSocketError {
  constructor(
    /** The schema's issues: a message each, and where in the value (`path`) when the schema says. */
    readonly issues: ReadonlyArray<StandardSchemaV1.Issue>,
  ) {
    super('RXSOCKET_ERR_VALIDATION', `invalid value: ${issues.map((issue) => issue.message).join('; ') || 'rejected by the schema'}`);
  }
}

/**
 * A payload given to a delimiter encoder contains the delimiter, so it cannot be framed.
 *
 * @example
 * ```ts
 * delimiter().encodeFrame(Buffer.from('a\nb')); // throws DelimiterInPayloadError, offset 1
 * ```
 */
export class DelimiterInPayloadError extends RxSocketError {
  constructor(
    /** Offset of the first delimiter inside the payload. */
    readonly offset: number,
  ) {
    super('RXSOCKET_ERR_DELIMITER_IN_PAYLOAD', `payload contains the delimiter at offset ${offset}`);
  }
}

/**
 * A codec could not turn a frame into a value (invalid UTF-8, invalid JSON, ...).
 *
 * @example
 * ```ts
 * if (error instanceof DecodeError) console.warn(`bad frame of ${error.frameBytes} bytes`, error.cause);
 * ```
 */
export class DecodeError extends RxSocketError {
  constructor(
    /** Size of the frame that failed, in bytes. */
    readonly frameBytes: number,
    cause: unknown,
  ) {
    super('RXSOCKET_ERR_DECODE', `cannot decode frame of ${frameBytes} bytes: ${describe(cause)}`, { cause });
  }
}

/**
 * A codec could not turn a value into bytes (for JSON: `undefined`, a function, a BigInt, a cycle).
 *
 * @example
 * ```ts
 * if (error instanceof EncodeError) console.warn('cannot encode', error.cause);
 * ```
 */
export class EncodeError extends RxSocketError {
  constructor(cause: unknown) {
    super('RXSOCKET_ERR_ENCODE', `cannot encode message: ${describe(cause)}`, { cause });
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
