import { Subject, type Observable, type Observer, type Subscription } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Codec } from '../codec/codec';
import { encodeValue } from '../codec/codec-operators';
import type { UnsentMessage } from '../conversation/reconnecting-client';
import { BufferOverflowError, ConnectionLostError, FrameTooLargeError, type RxSocketError } from '../errors';
import { natsStatus } from './nats-status';
import { PublishLedger } from './publish-ledger';

/** How a publisher into NATS holds messages it cannot publish yet. */
export interface PublisherLimits {
  /** Messages held (waiting for the NATS connection to come back, or published and not yet confirmed). Default 100,000. */
  maxBufferedMessages?: number;
  /** Encoded bytes held. Default 32 MiB. */
  maxBufferedBytes?: number;
  /** With a full buffer: `'drop-newest'` (default) refuses the new message, `'drop-oldest'` evicts the oldest waiting one; either is reported on `unsent$`. */
  whenBufferFull?: 'drop-newest' | 'drop-oldest';
}

/** An Observer that publishes into NATS and says what it could not deliver. */
export interface SubjectPublisher<T> extends Observer<T> {
  /** Encodes and publishes one message (or holds it while the NATS connection is down). Never throws. */
  next(message: T): void;
  /** Stops publishing: everything still held is reported on `unsent$`. */
  error(error: unknown): void;
  /** No more messages: those held are still published and confirmed, then the publisher stops. */
  complete(): void;
  /**
   * Messages that may not have reached the NATS server, with the reason: `FrameTooLargeError`
   * (over the server's `max_payload`), `EncodeError`, `BufferOverflowError`, or
   * `ConnectionLostError` (the connection dropped before the server confirmed them, or closed).
   */
  readonly unsent$: Observable<UnsentMessage<T>>;
  /** Messages held: waiting for the connection, or published and not yet confirmed by the server. */
  readonly bufferedMessages: number;
}

/**
 * The publishing bridge under `toSubject` and the hub: publishes while connected and confirms
 * each burst with one flush (a PING the server answers: the server then has every message
 * before it); holds messages while the connection is down and publishes them in order after the
 * reconnect; reports what the server may not have received. Internal.
 */
export function subjectPublisher<T>(
  nc: NatsConnection,
  subjectOf: (message: T) => string,
  codec: Codec<T>,
  limits: PublisherLimits = {},
): SubjectPublisher<T> {
  const ledger = new PublishLedger<T>({
    maxMessages: limits.maxBufferedMessages ?? 100_000,
    maxBytes: limits.maxBufferedBytes ?? 32 * 1024 * 1024,
    whenFull: limits.whenBufferFull ?? 'drop-newest',
  });
  const unsent = new Subject<UnsentMessage<T>>();
  let connected = !nc.isClosed();
  /** Why the publisher stopped for good, once it has. */
  let ended: { cause: unknown } | null = null;
  let completing = false;
  let watching: Subscription | null = null;

  const report = (messages: readonly T[], error: RxSocketError): void => {
    for (const message of messages) unsent.next({ message, error });
  };

  const stop = (cause: unknown): void => {
    if (ended !== null) return;
    ended = { cause };
    connected = false;
    watching?.unsubscribe();
    report(ledger.close(), new ConnectionLostError(cause));
    unsent.complete();
  };

  const settleIfDone = (): void => {
    if (completing && ledger.messages === 0) stop(undefined);
  };

  const flush = (): void => {
    const generation = ledger.startFlush();
    if (generation === -1) return;
    nc.flush().then(
      () => {
        ledger.flushed(generation);
        flush();
        settleIfDone();
      },
      (error: unknown) => lose(error),
    );
  };

  const lose = (cause: unknown): void => {
    report(ledger.lost(), new ConnectionLostError(cause));
    settleIfDone();
  };

  const overflowed = (message: T): void => unsent.next({ message, error: new BufferOverflowError(ledger.messages, ledger.bytes) });

  const publish = (message: T, payload: Uint8Array): void => {
    try {
      nc.publish(subjectOf(message), payload);
    } catch (error) {
      report([message], new ConnectionLostError(error));
      return;
    }
    ledger.published(message, payload.byteLength);
  };

  watching = natsStatus(nc).subscribe(({ status, server, error }) => {
    if (status === 'disconnected') {
      connected = false;
      lose(new Error(`NATS connection to ${server ?? 'the server'} lost`));
    } else if (status === 'connected' && !connected && ended === null) {
      connected = true;
      const { messages, payloads } = ledger.takeWaiting();
      for (let k = 0; k < messages.length; k++) publish(messages[k] as T, payloads[k] as Uint8Array);
      flush();
    } else if (status === 'closed') {
      stop(error ?? new Error('NATS connection closed'));
    }
  });

  return {
    next(message) {
      if (ended !== null || completing) {
        report([message], new ConnectionLostError(ended?.cause ?? new Error('publisher completed')));
        return;
      }
      let payload: Uint8Array;
      try {
        payload = encodeValue(codec, message);
      } catch (error) {
        report([message], error as RxSocketError);
        return;
      }
      const max = nc.info?.max_payload;
      if (max !== undefined && payload.byteLength > max) {
        report([message], new FrameTooLargeError(payload.byteLength, max));
        return;
      }
      if (!ledger.admit(payload.byteLength, overflowed)) {
        report([message], new BufferOverflowError(ledger.messages, ledger.bytes));
        return;
      }
      if (!connected) {
        ledger.wait(message, payload);
        return;
      }
      publish(message, payload);
      flush();
    },
    error(error) {
      stop(error);
    },
    complete() {
      completing = true;
      settleIfDone();
    },
    unsent$: unsent.asObservable(),
    get bufferedMessages() {
      return ledger.messages;
    },
  };
}
