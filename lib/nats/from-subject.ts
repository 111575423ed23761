import { map, type Observable } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BadFramePolicy } from '../codec/bad-frames';
import type { Codec } from '../codec/codec';
import { raw } from '../codec/raw';
import { decodeMessages } from '../codec/codec-operators';
import { subjectMessages } from './subject-messages';

/** Options of {@link fromSubject}. */
export interface FromSubjectOptions<T> {
  /** Decodes each message's payload. Default `raw()`: the payload bytes. */
  codec?: Codec<T>;
  /** A queue group: each message goes to one subscriber of the group (load sharing). Default: none, every subscriber gets every message. */
  queue?: string;
  /** A payload that fails to decode: `'close'` (default) errors the stream with a DecodeError; `'skip'` or `skipBadFrames()` drops it. */
  badFrames?: BadFramePolicy;
}

/**
 * A cold Observable of the messages published on a NATS subject (wildcards `*` and `>` allowed),
 * decoded by `codec`: subscribing subscribes to the subject, unsubscribing unsubscribes. A payload
 * that fails to decode errors the stream with a `DecodeError`, as on a socket. The stream
 * completes when the connection is closed cleanly, and errors with a `ConnectionLostError` when
 * it closes on an error; across a reconnect the client subscribes again by itself (messages
 * published while it was away are not delivered: NATS core delivers at most once).
 *
 * @example
 * ```ts
 * fromSubject(nc, 'sensors.*', { codec: json<Reading>() }).subscribe((reading) => console.log(reading));
 * ```
 */
export function fromSubject<T = Uint8Array>(nc: NatsConnection, subject: string, options: FromSubjectOptions<T> = {}): Observable<T> {
  const codec = options.codec ?? (raw() as unknown as Codec<T>);
  return subjectMessages(nc, subject, options.queue ?? null).pipe(
    map((message) => message.data),
    decodeMessages(codec, options.badFrames === undefined ? {} : { badFrames: options.badFrames }),
  );
}
