import { filter, firstValueFrom, ReplaySubject, Subject, take, type Observable, type Subscription } from 'rxjs';
import type { Connection } from 'rxjs-socket';
import { listenWebSocket, type ListenWebSocketOptions } from 'rxjs-socket/websocket';

const cleanups: Array<() => void> = [];

/** Runs `cleanup` after the current test, passed or failed (servers stopped, sockets closed). */
export function afterTest(cleanup: () => void): void {
  cleanups.push(cleanup);
}

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A listenWebSocket() server on 127.0.0.1 and a free port, with what a test needs to drive it. */
export interface WebSocketTestServer<In, Out> {
  readonly port: number;
  readonly url: string;
  /** Every accepted connection, replayed. */
  readonly connections$: Observable<Connection<In, Out>>;
  /** The accepted connection number `index` (counting from 0). */
  accepted(index: number): Promise<Connection<In, Out>>;
  /** Unsubscribes from listenWebSocket(). */
  stop(): void;
}

/** Starts `listenWebSocket({ port, ...options })` (port 0 unless given) and resolves once it is bound. */
export async function startWebSocketServer<In, Out>(
  options: Omit<ListenWebSocketOptions<In, Out>, 'onListening' | 'server'>,
): Promise<WebSocketTestServer<In, Out>> {
  const bound = new Subject<number>();
  const connections$ = new ReplaySubject<Connection<In, Out>>();
  const port = firstValueFrom(bound);
  const subscription: Subscription = listenWebSocket<In, Out>({
    port: 0,
    ...options,
    onListening: (address) => bound.next(address.family === 'unix' ? -1 : address.port),
  }).subscribe({
    next: (connection) => connections$.next(connection),
    error: (error: unknown) => bound.error(error),
  });
  const accepted = (index: number): Promise<Connection<In, Out>> => {
    let seen = -1;
    return firstValueFrom(connections$.pipe(filter(() => ++seen === index), take(1)));
  };
  afterTest(() => subscription.unsubscribe());
  const p = await port;
  return { port: p, url: `ws://127.0.0.1:${p}`, connections$, accepted, stop: () => subscription.unsubscribe() };
}

/** The first connection `connection$` emits, and a function that unsubscribes from it. */
export async function open<In, Out>(connection$: Observable<Connection<In, Out>>): Promise<[Connection<In, Out>, () => void]> {
  const result = new Subject<Connection<In, Out>>();
  const first = firstValueFrom(result);
  const subscription = connection$.subscribe({ next: (c) => result.next(c), error: (e: unknown) => result.error(e) });
  afterTest(() => subscription.unsubscribe());
  return [await first, () => subscription.unsubscribe()];
}
