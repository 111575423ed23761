import { of, take, type Observable } from 'rxjs';
import type { Connection } from '../../connection/connection';

/**
 * Emits once, then completes, when `connection` has handed everything it accepted to the kernel
 * (Node's own socket buffer included): at once if nothing is queued, else at its next `flushed$`.
 */
export function whenFlushed(connection: Connection<unknown, unknown>): Observable<void> {
  return connection.queuedBytes === 0 ? of(undefined) : connection.flushed$.pipe(take(1));
}
