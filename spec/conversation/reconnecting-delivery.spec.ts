// reconnecting() under load: every message given to its sink is delivered exactly once or reported
// on unsent$ exactly once, across servers that end connections and restart, and draining a full
// buffer never blocks the event loop.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { delimiter, listen, reconnecting, utf8, type Connection, type ReconnectingClient } from 'rxjs-socket';
import { eventually, freePort } from '../helpers/loopback';

const lines = { framing: delimiter(), codec: utf8() };
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A line server on `port` that ends (FIN) each connection after `endAfter()` lines, reads on until
 * the client ends too, and records every line in `seen`. `stop()`/`start()` take the port down and up.
 */
function endingServer(port: number, endAfter: () => number, seen: Map<string, number>): { start(): Promise<void>; stop(): void; accepted(): number } {
  let listening: Subscription | null = null;
  let accepted = 0;
  return {
    accepted: () => accepted,
    start: () =>
      new Promise<void>((resolve, reject) => {
        listening = listen<string, string>({ ...lines, port, allowHalfOpen: true, onListening: () => resolve() }).subscribe({
          next: (connection: Connection<string, string>) => {
            accepted++;
            const limit = endAfter();
            let count = 0;
            connection.messages$.subscribe({
              next: (line) => {
                seen.set(line, (seen.get(line) ?? 0) + 1);
                if (++count === limit) connection.sink.complete();
              },
              complete: () => connection.sink.complete(),
              error: () => undefined,
            });
          },
          error: reject,
        });
      }),
    stop: () => listening?.unsubscribe(),
  };
}

/** Ids given to the client's sink and not yet delivered or reported, checked once everything settled. */
function ledger(seen: Map<string, number>, unsent: Map<string, number>, total: number): { lost: number; duplicated: number; both: number } {
  let lost = 0;
  let duplicated = 0;
  let both = 0;
  for (let id = 0; id < total; id++) {
    const delivered = seen.get(String(id)) ?? 0;
    const reported = unsent.get(String(id)) ?? 0;
    if (delivered + reported === 0) lost++;
    if (delivered > 1 || reported > 1) duplicated++;
    if (delivered > 0 && reported > 0) both++;
  }
  return { lost, duplicated, both };
}

function track(client: ReconnectingClient<string, string>): Map<string, number> {
  const unsent = new Map<string, number>();
  client.unsent$.subscribe(({ message }) => unsent.set(message, (unsent.get(message) ?? 0) + 1));
  return unsent;
}

describe('reconnecting() delivery', () => {
  it('never duplicates a message given after the peer ended (server FIN after each message)', async () => {
    const port = await freePort();
    const seen = new Map<string, number>();
    const server = endingServer(port, () => 1, seen);
    await server.start();
    const total = 300;
    let client: ReconnectingClient<string, string> | undefined;
    const subscription = reconnecting<string, string>({ ...lines, port, host: '127.0.0.1', backoff: { initial: 1, max: 5 } }).subscribe((c) => (client = c));
    try {
      const unsent = track(client as ReconnectingClient<string, string>);
      for (let id = 0; id < total; id++) {
        (client as ReconnectingClient<string, string>).sink.next(String(id));
        await turn();
      }
      expect(await eventually(() => seen.size + unsent.size >= total && (client as ReconnectingClient<string, string>).bufferedMessages === 0, 200_000)).toBe(true);
      expect(ledger(seen, unsent, total)).toEqual({ lost: 0, duplicated: 0, both: 0 });
      // The run crossed several reconnections (how many depends on the machine's load: 9 were seen
      // on a loaded 2-core machine, more when quiet); the promise is the ledger above.
      expect(server.accepted()).toBeGreaterThan(5);
    } finally {
      subscription.unsubscribe();
      server.stop();
    }
  }, 30_000);

  it('loses nothing unreported and duplicates nothing for a fast sender across a flapping server, without stalling', async () => {
    const port = await freePort();
    const seen = new Map<string, number>();
    let seed = 7;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const server = endingServer(port, () => 500 + Math.floor(random() * 20_000), seen);
    await server.start();
    let client: ReconnectingClient<string, string> | undefined;
    const subscription = reconnecting<string, string>({
      ...lines,
      port,
      host: '127.0.0.1',
      backoff: { initial: 1, max: 20 },
      maxBufferedMessages: 100_000,
    }).subscribe((c) => (client = c));
    const sender = client as ReconnectingClient<string, string>;
    const unsent = track(sender);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const total = 300_000;
    let restarts = 0;
    for (let id = 0; id < total; ) {
      // As fast as possible: 3,000 messages a turn, backpressure ignored.
      for (const end = Math.min(total, id + 3_000); id < end; id++) sender.sink.next(String(id));
      await turn();
      // Every 60,000 ids, the server goes away for a while and comes back.
      if (id % 60_000 === 0) {
        server.stop();
        await firstValueFrom(sender.state$.pipe(filter((s) => s.status !== 'connected')));
        for (let k = 0; k < 50; k++) await turn();
        await server.start();
        restarts++;
      }
    }
    expect(await eventually(() => seen.size + unsent.size >= total && sender.bufferedMessages === 0, 500_000)).toBe(true);
    delay.disable();
    const counts = ledger(seen, unsent, total);
    expect(counts).toEqual({ lost: 0, duplicated: 0, both: 0 });
    expect(restarts).toBe(5);
    // Connections ended by the server and by its restarts: several, whatever the machine's speed.
    expect(server.accepted()).toBeGreaterThanOrEqual(6);
    // The longest the event loop was blocked, in ms (draining 100,000 buffered messages is linear;
    // about 110 ms on a quiet machine, most of it this test's own in-process server).
    expect(delay.max / 1e6).toBeLessThan(500);
    subscription.unsubscribe();
    server.stop();
  }, 60_000);
});
