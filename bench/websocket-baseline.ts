/**
 * The websocket suite's baseline: what a competent engineer writes by hand on `ws` 8: a
 * WebSocketServer on 127.0.0.1 (port 0) and a client, per-message deflate off on both (as in
 * rxsocket), one `ws.send` per message, pausing while `bufferedAmount` is deep.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { HIGH_WATER_BYTES, Tally, yieldToLoop, type Workload } from './connection-workload';
import type { PingPongPair, ThroughputPair } from './net-baseline';

/** An open `ws` pair: both ends, and a close that waits for both. */
export interface WsPair {
  readonly client: WebSocket;
  readonly server: WebSocket;
  readonly close: () => Promise<void>;
}

/** Opens a `ws` server on port 0 and one client connected to it. */
export async function openWsPair(): Promise<WsPair> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false });
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  await once(client, 'open');
  const [server] = await accepted;
  return {
    client,
    server,
    async close() {
      const closed = Promise.all([once(client, 'close'), once(server, 'close')]);
      client.close();
      await closed;
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

/** Polls (one event-loop turn at a time) until `ws.bufferedAmount` is at most `bytes`. */
async function drained(ws: WebSocket, bytes: number): Promise<void> {
  while (ws.bufferedAmount > bytes) await yieldToLoop();
}

/** The `ws` throughput pair: the client sends the workload's messages, the server counts them. */
export async function openWsThroughput<T>(workload: Workload<T>): Promise<ThroughputPair> {
  const { client, server, close } = await openWsPair();
  const tally = new Tally(workload);
  const text = workload.codec.name === 'json';
  server.on('message', (data: RawData) => tally.add(workload.wire.decode(data as Buffer)));
  return {
    async run(messages) {
      const arrived = tally.start(messages);
      const { burst, message } = workload;
      for (let sent = 0; sent < messages; ) {
        const end = Math.min(messages, sent + burst);
        for (; sent < end; sent++) {
          const m = message(sent);
          client.send(text ? JSON.stringify(m) : (m as Uint8Array), { binary: !text });
        }
        await yieldToLoop();
        await drained(client, HIGH_WATER_BYTES);
      }
      await arrived;
    },
    close,
  };
}

/** The `ws` ping-pong pair: the server echoes, one message in flight. */
export async function openWsPingPong(payload: Uint8Array): Promise<PingPongPair> {
  const { client, server, close } = await openWsPair();
  server.on('message', (data: RawData) => server.send(data as Buffer));
  let rtts: Float64Array = new Float64Array(0);
  let done = (): void => undefined;
  let count = 0;
  let start = 0n;
  client.on('message', () => {
    const now = process.hrtime.bigint();
    rtts[count++] = Number(now - start);
    if (count === rtts.length) return done();
    start = now;
    client.send(payload);
  });
  return {
    run(into) {
      rtts = into;
      count = 0;
      return new Promise<void>((resolve) => {
        done = resolve;
        start = process.hrtime.bigint();
        client.send(payload);
      });
    },
    close,
  };
}
