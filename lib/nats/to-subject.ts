import type { NatsConnection } from '@nats-io/transport-node';
import type { Codec } from '../codec/codec';
import { raw } from '../codec/raw';
import { subjectPublisher, type PublisherLimits, type SubjectPublisher } from './subject-publisher';

/** Options of {@link toSubject}. */
export interface ToSubjectOptions<T> extends PublisherLimits {
  /** Encodes each message. Default `raw()`: messages are bytes. */
  codec?: Codec<T>;
}

/**
 * An Observer that publishes each message it gets on a NATS subject, encoded by `codec`: use it
 * as `source$.subscribe(toSubject(nc, 'subject', { codec }))`. While the NATS connection is down,
 * messages are held (bounded) and published in order after the reconnect. Every message the
 * server may not have received is reported on `unsent$`, with the reason: a payload over the
 * server's `max_payload` (`FrameTooLargeError`), a full buffer (`BufferOverflowError`), a
 * connection that dropped before the server confirmed it or closed (`ConnectionLostError`).
 *
 * @example
 * ```ts
 * const out = toSubject(nc, 'sensors.kitchen', { codec: json<Reading>() });
 * out.unsent$.subscribe(({ message, error }) => console.warn('not published', message, error.code));
 * readings$.subscribe(out);
 * ```
 */
export function toSubject<T = Uint8Array>(nc: NatsConnection, subject: string, options: ToSubjectOptions<T> = {}): SubjectPublisher<T> {
  const { codec = raw() as unknown as Codec<T>, ...limits } = options;
  return subjectPublisher(nc, () => subject, codec, limits);
}
