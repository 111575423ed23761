import { filter, firstValueFrom, ReplaySubject, take, type Observable, type Subscription } from 'rxjs';
import { connect, listen, type CloseInfo, type Connection, type ConnectAddress, type ConnectOptions, type ListenAddress, type ListenOptions, type SocketAddress } from 'rxjs-socket';

/** A bound listen() server as a test drives it. */
export interface HarnessServer<In, Out> {
  /** The address onListening reported. */
  readonly address: SocketAddress;
  /** The TCP port (throws for a Unix socket). */
  readonly port: number;
  /** The listen() subscription: unsubscribe to stop the server. */
  readonly subscription: Subscription;
  /** Every accepted connection, replayed. */
  readonly connections$: Observable<Connection<In, Out>>;
  /** The accepted connection number `index` (from 0). */
  accepted(index: number): Promise<Connection<In, Out>>;
}

/**
 * Opens servers and clients for one test and tears all of them down: every subscription is
 * unsubscribed and every connection's `closed$` awaited, so nothing is left open.
 */
export class TransportHarness {
  private readonly subscriptions: Subscription[] = [];
  private readonly closings: Observable<CloseInfo>[] = [];

  /** Subscribes to `listen(options)` and resolves once it is bound (rejects if listening fails). */
  async listen<In, Out>(options: Omit<ListenOptions<In, Out>, 'onListening'> & ListenAddress): Promise<HarnessServer<In, Out>> {
    const connections$ = new ReplaySubject<Connection<In, Out>>();
    let subscription: Subscription | undefined;
    const address = await new Promise<SocketAddress>((resolve, reject) => {
      subscription = listen<In, Out>({ ...options, onListening: resolve }).subscribe({
        next: (connection) => {
          this.closings.push(connection.closed$);
          connections$.next(connection);
        },
        // listen() fails with Node's own errors (EADDRINUSE, ...).
        error: (error: Error) => {
          connections$.error(error);
          reject(error);
        },
      });
      this.subscriptions.push(subscription);
    });
    const accepted = (index: number): Promise<Connection<In, Out>> => {
      let seen = -1;
      return firstValueFrom(connections$.pipe(filter(() => ++seen === index), take(1)));
    };
    return {
      address,
      get port(): number {
        if (address.family === 'unix') throw new Error(`no port: listening on ${address.path}`);
        return address.port;
      },
      subscription: subscription as Subscription,
      connections$: connections$.asObservable(),
      accepted,
    };
  }

  /** Subscribes to `connect(options)` and resolves with the connection (rejects with the connect error). */
  connect<In, Out>(options: ConnectOptions<In, Out> & ConnectAddress): Promise<Connection<In, Out>> {
    return new Promise((resolve, reject) => {
      this.subscriptions.push(
        connect<In, Out>(options).subscribe({
          next: (connection) => {
            this.closings.push(connection.closed$);
            resolve(connection);
          },
          error: reject,
        }),
      );
    });
  }

  /** Unsubscribes everything (servers stop, connections close gracefully) and waits until every connection has closed. */
  async teardown(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    await Promise.all(this.closings.splice(0).map((closed$) => firstValueFrom(closed$)));
  }
}

/** The error `promise` rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
