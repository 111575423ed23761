/**
 * The library side of the websocket suite: `listenWebSocket` and `connectWebSocket` (the built
 * `rxjs-socket/websocket`) on 127.0.0.1, one `sink.next` per message, received through `messages$`.
 */
import { lastValueFrom, type Subscription } from 'rxjs';
import { HIGH_WATER_BYTES, Tally, yieldToLoop, type Workload } from './connection-workload';
import { connectWebSocket, listenWebSocket, raw, type Codec, type Connection, type SocketAddress } from './library';
import type { PingPongPair, ThroughputPair } from './net-baseline';

/** Both ends of one library WebSocket connection, and a close that waits for both. */
export interface LibraryWsPair<T> {
  readonly client: Connection<T, T>;
  readonly server: Connection<T, T>;
  readonly close: () => Promise<void>;
}

/** Listens on port 0 (no heartbeat: the baseline has none), connects one client, returns both ends. */
export async function openLibraryWsPair<T>(codec: Codec<T>): Promise<LibraryWsPair<T>> {
  const subscriptions: Subscription[] = [];
  let accepted: (connection: Connection<T, T>) => void = () => undefined;
  const serverSide = new Promise<Connection<T, T>>((resolve) => (accepted = resolve));
  const port = await new Promise<number>((resolve, reject) => {
    const onListening = (address: SocketAddress): void => resolve(address.family === 'unix' ? 0 : address.port);
    subscriptions.push(listenWebSocket<T, T>({ port: 0, codec, heartbeat: false, onListening }).subscribe({ next: accepted, error: reject }));
  });
  const client = await new Promise<Connection<T, T>>((resolve, reject) => {
    subscriptions.push(connectWebSocket<T, T>(`ws://127.0.0.1:${port}`, { codec, heartbeat: false }).subscribe({ next: resolve, error: reject }));
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

/** The library throughput pair: one `sink.next` per message, in bursts, pausing while the queue is deep. */
export async function openLibraryWsThroughput<T>(workload: Workload<T>): Promise<ThroughputPair> {
  const { client, server, close } = await openLibraryWsPair(workload.codec);
  const tally = new Tally(workload);
  server.messages$.subscribe({ next: tally.add, error: (error: unknown) => console.error('library server failed', error) });
  return {
    async run(messages) {
      const arrived = tally.start(messages);
      const { burst, message } = workload;
      for (let sent = 0; sent < messages; ) {
        const end = Math.min(messages, sent + burst);
        for (; sent < end; sent++) client.sink.next(message(sent));
        await yieldToLoop();
        // As the baseline polls bufferedAmount: a WebSocket stays writable up to half of maxQueuedBytes.
        while (client.queuedBytes > HIGH_WATER_BYTES) await yieldToLoop();
      }
      await arrived;
    },
    close,
  };
}

/** The library ping-pong pair: the server echoes through its sink, one message in flight. */
export async function openLibraryWsPingPong(payload: Uint8Array): Promise<PingPongPair> {
  const { client, server, close } = await openLibraryWsPair(raw());
  server.messages$.subscribe((message) => server.sink.next(message));
  let rtts: Float64Array = new Float64Array(0);
  let done = (): void => undefined;
  let count = 0;
  let start = 0n;
  client.messages$.subscribe(() => {
    const now = process.hrtime.bigint();
    rtts[count++] = Number(now - start);
    if (count === rtts.length) return done();
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
