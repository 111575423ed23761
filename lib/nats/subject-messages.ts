import { Observable } from 'rxjs';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { ConnectionLostError } from '../errors';

/**
 * The raw messages of a NATS subject (in a queue group, unless `queue` is null): subscribing
 * subscribes, unsubscribing unsubscribes; completes when the subscription closes cleanly (the
 * connection closed or drained), errors with a ConnectionLostError when it closes on an error.
 * Internal.
 */
export function subjectMessages(nc: NatsConnection, subject: string, queue: string | null): Observable<Msg> {
  return new Observable<Msg>((subscriber) => {
    const subscription = nc.subscribe(subject, {
      ...(queue === null ? {} : { queue }),
      callback: (error, message) => (error === null ? subscriber.next(message) : subscriber.error(new ConnectionLostError(error))),
    });
    subscription.closed.then(
      (error) => (error instanceof Error ? subscriber.error(new ConnectionLostError(error)) : subscriber.complete()),
      () => undefined,
    );
    return () => {
      if (!subscription.isClosed()) subscription.unsubscribe();
    };
  });
}
