import { Observable } from 'rxjs';
import type { Connection } from '../connection/connection';

/**
 * A server for marble tests: it emits the given connections on their schedule (for example
 * `cold('-a--b|', { a: first, b: second })` of {@link testConnection}s, or the `server` ends of
 * connection pairs), so a pipeline written against `listen(...)` runs in virtual time. Like
 * `listen()`, each emitted test connection is opened as it is accepted, and unsubscribing closes
 * every connection still open, gracefully. Unlike it, the server completes when `connections$`
 * completes (leave out the `|` to keep it listening), and its error is the server's error.
 *
 * @example
 * ```ts
 * const served$ = testServer(cold('-a--b|', { a: first, b: second })).pipe(serve((m) => m));
 * expectObservable(first.outgoing$).toBe('--a|', { a: 'ping' });
 * ```
 */
export function testServer<In, Out>(connections$: Observable<Connection<In, Out>>): Observable<Connection<In, Out>> {
  return new Observable<Connection<In, Out>>((subscriber) => {
    const open = new Set<Connection<In, Out>>();
    const accepted = connections$.subscribe({
      next: (connection) => {
        open.add(connection);
        connection.closed$.subscribe(() => open.delete(connection));
        if ('open' in connection && typeof connection.open === 'function') (connection.open as () => void)();
        subscriber.next(connection);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      accepted.unsubscribe();
      for (const connection of open) connection.close();
    };
  });
}
