import { Observable, type Subscriber } from 'rxjs';
import type { Connection, SocketAddress } from './connection';
import { listen, type ListenAddress, type ListenOptions } from './listen';

/** A bound server, as {@link listening} emits it. */
export interface ListeningServer<In, Out> {
  /** Where it listens: the real port when `port` was 0. */
  readonly address: SocketAddress;
  /** The TCP port (undefined for a Unix socket). */
  readonly port: number | undefined;
  /**
   * The connections it accepts. Those accepted while nobody is subscribed are held (paused, as
   * every new connection is) and delivered to the next subscriber, so none is missed between
   * `await` and `subscribe`. Completes when the server stops.
   */
  readonly connections$: Observable<Connection<In, Out>>;
}

/**
 * {@link listen} as one value: a cold Observable that binds on subscribe and emits one
 * {@link ListeningServer} (its address and its connections) once bound; unsubscribing stops the
 * server as with `listen`. With {@link acquire}, a port-0 server in async code needs no callback.
 *
 * @example
 * ```ts
 * const { value: server, release } = await acquire(listening({ port: 0, codec: utf8(), framing: delimiter() }));
 * server.connections$.pipe(serve((line) => line.toUpperCase())).subscribe();
 * console.log(server.port);
 * release(); // stops listening, closes every connection
 * ```
 */
export function listening<In = Uint8Array, Out = In>(
  options: ListenOptions<In, Out> & {
    /** TCP port; 0 picks a free one. */
    readonly port: number;
  },
): Observable<
  ListeningServer<In, Out> & {
    /** The TCP port it listens on (the real one when `port` was 0). */
    readonly port: number;
  }
>;
/** {@link listening} on a Unix socket `path` (or either address): its `port` may be undefined. */
export function listening<In = Uint8Array, Out = In>(options: ListenOptions<In, Out> & ListenAddress): Observable<ListeningServer<In, Out>>;
export function listening<In = Uint8Array, Out = In>(options: ListenOptions<In, Out> & ListenAddress): Observable<ListeningServer<In, Out>> {
  return new Observable<ListeningServer<In, Out>>((subscriber) => {
    const held = new Set<Connection<In, Out>>();
    const watchers = new Set<Subscriber<Connection<In, Out>>>();
    let ending: { error: unknown } | 'complete' | null = null;
    const end = (how: { error: unknown } | 'complete'): void => {
      ending = how;
      held.clear();
      for (const watcher of [...watchers]) {
        if (how === 'complete') watcher.complete();
        else watcher.error(how.error);
      }
      watchers.clear();
    };
    const connections$ = new Observable<Connection<In, Out>>((watcher) => {
      for (const connection of [...held]) {
        held.delete(connection);
        watcher.next(connection);
      }
      const ended = ending;
      if (ended !== null) {
        if (ended === 'complete') watcher.complete();
        else watcher.error(ended.error);
        return undefined;
      }
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    });
    const listener = listen<In, Out>({
      ...options,
      onListening: (address) => {
        options.onListening?.(address);
        subscriber.next({ address, port: address.family === 'unix' ? undefined : address.port, connections$ });
      },
    }).subscribe({
      next: (connection) => {
        if (watchers.size > 0) {
          for (const watcher of watchers) watcher.next(connection);
          return;
        }
        held.add(connection);
        connection.closed$.subscribe(() => held.delete(connection));
      },
      error: (error: unknown) => {
        end({ error });
        subscriber.error(error);
      },
      complete: () => {
        end('complete');
        subscriber.complete();
      },
    });
    return () => {
      listener.unsubscribe();
      if (ending === null) end('complete');
    };
  });
}
