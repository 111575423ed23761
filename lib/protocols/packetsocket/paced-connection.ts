import { BehaviorSubject, distinctUntilChanged, filter, map, timer, type SchedulerLike, type Subscription } from 'rxjs';
import { DEFAULT_CLOSE_TIMEOUT } from '../../constants';
import type { CloseInfo, Connection, ConnectionSink } from '../../connection/connection';
import { sinkSubject } from '../../connection/sink-subject';
import type { PacketPacing } from './packet-pacing';
import { PacedWriter } from './paced-writer';

/** What {@link pacedConnection} needs besides the connection. */
export interface PacedConnectionOptions {
  readonly pacing: PacketPacing;
  readonly scheduler: SchedulerLike;
  /** Bytes of packets waiting their turn before the connection fails with QueueOverflowError. */
  readonly maxQueuedBytes: number;
}

/**
 * The same connection, with a sink that paces packets (see {@link PacketPacing}). Packets waiting
 * their turn count in `queuedBytes` and `queuedMessages`, and in `closed$`'s unsent counts if the
 * connection ends first; `writable` is also false while they pass half of `maxQueuedBytes`, and
 * `flushed$` waits for them too. `sink.complete()` and `close()` first let the waiting packets go
 * out (`close()` waits at most 5 s for them; what is left then is unsent); `destroy()` drops them.
 */
export function pacedConnection(connection: Connection<Uint8Array, Uint8Array>, options: PacedConnectionOptions): Connection<Uint8Array, Uint8Array> {
  let late = 0;
  let ended = false;
  let closed = false;
  let dropped = { bytes: 0, messages: 0 };
  const isWritable = (): boolean => connection.writable && writer.queuedBytes <= options.maxQueuedBytes / 2;
  const writableState = new BehaviorSubject(true);
  const writer: PacedWriter = new PacedWriter(connection, {
    ...options,
    overflow: (error) => {
      late++; // the refused packet, counted before closed$ reports
      connection.destroy(error);
    },
    changed: () => writableState.next(isWritable()),
  });
  const watching = connection.writable$.subscribe(() => writableState.next(isWritable()));
  connection.closed$.subscribe(() => {
    closed = true;
    dropped = { bytes: writer.queuedBytes, messages: writer.queuedMessages + late };
    writer.stop();
    watching.unsubscribe();
    writableState.complete();
  });

  const sink: ConnectionSink<Uint8Array> = sinkSubject<Uint8Array>({
    next(packet) {
      if (ended || closed) {
        late++;
        return false;
      }
      return writer.write(packet);
    },
    error(error) {
      ended = true;
      writer.stop();
      connection.sink.error(error);
    },
    complete() {
      if (ended) return;
      ended = true;
      writer.whenDrained(() => connection.sink.complete());
    },
  });

  let closing: Subscription | null = null;
  return {
    messages$: connection.messages$,
    sink,
    writable$: writableState.pipe(distinctUntilChanged()),
    get writable() {
      return isWritable();
    },
    flushed$: connection.flushed$.pipe(filter(() => writer.queuedMessages === 0)),
    closed$: connection.closed$.pipe(
      map((info): CloseInfo => ({ ...info, unsentBytes: info.unsentBytes + dropped.bytes, unsentMessages: info.unsentMessages + dropped.messages })),
    ),
    get localAddress() {
      return connection.localAddress;
    },
    get remoteAddress() {
      return connection.remoteAddress;
    },
    get queuedBytes() {
      return connection.queuedBytes + writer.queuedBytes;
    },
    get queuedMessages() {
      return connection.queuedMessages + writer.queuedMessages;
    },
    get lateMessages() {
      return connection.lateMessages + late;
    },
    close(reason?: unknown) {
      ended = true;
      if (closing !== null) return;
      // The waiting packets go first, for a bounded time: a peer that reads nothing must not keep
      // the connection from closing.
      closing = timer(DEFAULT_CLOSE_TIMEOUT, options.scheduler).subscribe(() => connection.close(reason));
      writer.whenDrained(() => {
        closing?.unsubscribe();
        connection.close(reason);
      });
    },
    destroy(error?: unknown) {
      ended = true;
      writer.stop();
      connection.destroy(error);
    },
    pause: () => connection.pause(),
    resume: () => connection.resume(),
  };
}
