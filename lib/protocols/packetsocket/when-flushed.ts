import { filter, map, Observable, take, timer, type SchedulerLike } from 'rxjs';
import type { Connection } from '../../connection/connection';

/**
 * Emits once, then completes, when `connection` has handed everything it accepted to the kernel:
 * nothing left in its queue, and Node's own socket buffer drained (the connection is writable).
 *
 * A stop-gap: it polls every 1 ms on `scheduler` while bytes are waiting. Once connections report
 * it themselves (`flushed$`, with `queuedBytes` counting Node's buffer too), its body becomes
 * `connection.queuedBytes === 0 ? of(undefined) : connection.flushed$.pipe(take(1))`.
 */
export function whenFlushed(connection: Connection<unknown, unknown>, scheduler: SchedulerLike): Observable<void> {
  return new Observable<void>((subscriber) => {
    let writable = true;
    const watching = connection.writable$.subscribe((ready) => (writable = ready));
    const polling = timer(0, 1, scheduler)
      .pipe(
        filter(() => writable && connection.queuedBytes === 0),
        take(1),
        map(() => undefined),
      )
      .subscribe(subscriber);
    return () => {
      polling.unsubscribe();
      watching.unsubscribe();
    };
  });
}
