/**
 * The library side of the connection suite: `listen` and `connect` on 127.0.0.1 (port 0) in this
 * process, messages sent one `sink.next` call each and received through `messages$`.
 */
import { filter, firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { connect, listen, raw, type Codec, type Connection, type SocketAddress } from './library';
import { HIGH_WATER_BYTES, Tally, yieldToLoop, type Workload } from './connection-workload';
import type { PingPongPair, ThroughputPair } from './net-baseline';

interface LibraryPair<T> {
  readonly client: Connection<T, T>;
  readonly server: Connection<T, T>;
  readonly close: () => Promise<void>;
}

/** Listens on port 0, connects one client, and returns both ends once both are established. */
async function openLibraryPair<T>(codec: Codec<T>): Promise<LibraryPair<T>> {
  const subscriptions: Subscription[] = [];
  let accepted: (connection: Connection<T, T>) => void = () => undefined;
  const serverSide = new Promise<Connection<T, T>>((resolve) => {
    accepted = resolve;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onListening = (address: SocketAddress): void => resolve(address.family === 'unix' ? 0 : address.port);
    subscriptions.push(listen<T, T>({ port: 0, codec, onListening }).subscribe({ next: accepted, error: reject }));
  });
  const client = await new Promise<Connection<T, T>>((resolve, reject) => {
    subscriptions.push(connect<T, T>({ host: '127.0.0.1', port, codec }).subscribe({ next: resolve, error: reject }));
  });
  const server = await serverSide;
  return {
    client,
    server,
    async close() {
      const closed = Promise.all([lastValueFrom(client.closed$), lastValueFrom(server.closed$)]);
      for (const subscription of subscriptions) subscription.unsubscribe();
      await closed;
    },
  };
}

/** Resolves once `connection` accepts writes again (at once if it does now). */
function writable(connection: Connection<unknown, unknown>): Promise<boolean> {
  return firstValueFrom(connection.writable$.pipe(filter((ready) => ready)));
}

/** The library throughput pair: one `sink.next` per message, in bursts, pausing while the queue is deep. */
export async function openLibraryThroughput<T>(workload: Workload<T>): Promise<ThroughputPair> {
  const { client, server, close } = await openLibraryPair(workload.codec);
  const tally = new Tally(workload);
  server.messages$.subscribe({ next: tally.add, error: (error: unknown) => console.error('library server failed', error) });
  const sink = client.sink;
  return {
    async run(messages) {
      const arrived = tally.start(messages);
      const { burst, message } = workload;
      for (let sent = 0; sent < messages; ) {
        const end = Math.min(messages, sent + burst);
        for (; sent < end; sent++) sink.next(message(sent));
        await yieldToLoop();
        while (client.queuedBytes > HIGH_WATER_BYTES) await writable(client);
      }
      await arrived;
    },
    close,
  };
}

/** The library ping-pong pair: the client sends, the server echoes through its sink, one message in flight. */
export async function openLibraryPingPong(payload: Uint8Array): Promise<PingPongPair> {
  const { client, server, close } = await openLibraryPair(raw());
  server.messages$.subscribe((message) => server.sink.next(message));
  let rtts: Float64Array = new Float64Array(0);
  let done = (): void => undefined;
  let count = 0;
  let start = 0n;
  client.messages$.subscribe(() => {
    const now = process.hrtime.bigint();
    rtts[count++] = Number(now - start);
    if (count === rtts.length) {
      done();
      return;
    }
    start = now;
    client.sink.next(payload);
  });
  return {
    run(into) {
      rtts = into;
      count = 0;
      return new Promise<void>((resolve) => {
        done = resolve;
        start = process.hrtime.bigint();
        client.sink.next(payload);
      });
    },
    close,
  };
}
