import { Observable, ReplaySubject, share } from 'rxjs';
import type { NatsConnection, Status } from '@nats-io/transport-node';

/** Where a NATS connection is: `connected`, `disconnected` (the client is reconnecting), or finally `closed`. */
export type NatsLinkStatus = 'connected' | 'disconnected' | 'closed';

/** One step of a NATS connection's life, emitted by {@link natsStatus}. */
export interface NatsState {
  /** Where the connection is. */
  readonly status: NatsLinkStatus;
  /** The server connected to (after a reconnect) or lost (after a disconnect), as the client names it. */
  readonly server?: string;
  /** With `closed`: the error that closed the connection, if any. */
  readonly error?: unknown;
}

/** The client's status events as link states; events that change no state (pings, updates) give null. */
function stateOf(event: Status): NatsState | null {
  switch (event.type) {
    case 'disconnect':
      return { status: 'disconnected', server: event.server };
    case 'reconnect':
      return { status: 'connected', server: event.server };
    case 'close':
      return { status: 'closed' };
    default:
      return null;
  }
}

/** The status iterator of the client, which can be stopped (the client's iterator has `stop`). */
type StoppableStatus = AsyncIterable<Status> & { stop?: () => void };

const shared = new WeakMap<NatsConnection, Observable<NatsState>>();

/**
 * The status of a NATS connection as an Observable: the current state at once (`connected`, or
 * `closed` for a closed connection), then each disconnect and reconnect, and finally `closed`
 * (with the closing error, if any), after which it completes. One watcher per connection is shared
 * by every subscriber and by the bridges of this entry point.
 *
 * @example
 * ```ts
 * natsStatus(nc).subscribe(({ status, server }) => console.log('NATS', status, server ?? ''));
 * ```
 */
export function natsStatus(nc: NatsConnection): Observable<NatsState> {
  let status$ = shared.get(nc);
  if (status$ === undefined) {
    status$ = watch(nc).pipe(share({ connector: () => new ReplaySubject<NatsState>(1), resetOnRefCountZero: true }));
    shared.set(nc, status$);
  }
  return status$;
}

function watch(nc: NatsConnection): Observable<NatsState> {
  return new Observable<NatsState>((subscriber) => {
    if (nc.isClosed()) {
      subscriber.next({ status: 'closed' });
      subscriber.complete();
      return undefined;
    }
    let last: NatsLinkStatus = 'connected';
    subscriber.next({ status: last });
    const events = nc.status() as StoppableStatus;
    let stopped = false;
    void (async () => {
      try {
        for await (const event of events) {
          if (stopped) break;
          const state = stateOf(event);
          // 'close' is reported with its error by closed() below.
          if (state === null || state.status === 'closed' || state.status === last) continue;
          last = state.status;
          subscriber.next(state);
        }
      } catch (error) {
        // The iterator fails only when the client does: closed() reports it.
        void error;
      }
    })();
    nc.closed().then(
      (error) => {
        subscriber.next(error === undefined ? { status: 'closed' } : { status: 'closed', error });
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      stopped = true;
      events.stop?.();
    };
  });
}
