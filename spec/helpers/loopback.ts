import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { filter, firstValueFrom, ReplaySubject, Subject, take, type Observable, type Subscription } from 'rxjs';
import { listen, type Connection, type ListenOptions } from 'rxjs-socket';

/** A listen() server on 127.0.0.1 and a free port, with what a test needs to drive it. */
export interface LoopbackServer<In, Out> {
  readonly port: number;
  /** Every accepted connection, replayed. */
  readonly connections$: Observable<Connection<In, Out>>;
  /** The next accepted connection (counting from the first). */
  accepted(index: number): Promise<Connection<In, Out>>;
  /** Unsubscribes from listen(). */
  stop(): void;
}

/** Starts `listen({ port: 0, ...options })` and resolves once it is bound. */
export async function startServer<In, Out>(options: Omit<ListenOptions<In, Out>, 'port' | 'onListening'>): Promise<LoopbackServer<In, Out>> {
  const bound = new Subject<number>();
  const connections$ = new ReplaySubject<Connection<In, Out>>();
  const port = firstValueFrom(bound);
  const subscription: Subscription = listen<In, Out>({
    ...options,
    port: 0,
    onListening: (address) => bound.next(address.family === 'unix' ? -1 : address.port),
  }).subscribe({
    next: (connection) => connections$.next(connection),
    error: (error: unknown) => bound.error(error),
  });
  const accepted = (index: number): Promise<Connection<In, Out>> => {
    let seen = -1;
    return firstValueFrom(connections$.pipe(filter(() => ++seen === index), take(1)));
  };
  return { port: await port, connections$, accepted, stop: () => subscription.unsubscribe() };
}

/** A plain node:net client socket, connected. */
export async function rawClient(port: number): Promise<Socket> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Resolves when `socket` has closed. */
export function socketClosed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Everything `socket` receives until it ends, as one Buffer. */
export function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

/** Subscribes to `connect$` and resolves with its connection, keeping it open until `close()` (unsubscribe). */
export function openClient<In, Out>(connect$: Observable<Connection<In, Out>>): Promise<{ connection: Connection<In, Out>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const subscription = connect$.subscribe({
      next: (connection) => resolve({ connection, close: () => subscription.unsubscribe() }),
      error: reject,
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound once, then released). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Waits, turn by turn of the event loop (never by the clock), until `check` holds; at most `turns` turns. */
export async function eventually(check: () => boolean, turns = 10_000): Promise<boolean> {
  for (let k = 0; k < turns && !check(); k++) await new Promise((resolve) => setImmediate(resolve));
  return check();
}
