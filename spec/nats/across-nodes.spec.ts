// Two or three rxsocket nodes in separate processes, joined through a real nats-server: the hub
// delivers a client's messages to the clients of every node in order and once; a nats-server
// killed and restarted mid-stream leaves no message unaccounted for; a queue group shares requests.
import { filter, firstValueFrom, lastValueFrom, map, mergeMap, range, takeWhile, toArray } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';
import { json, type Connection } from 'rxjs-socket';
import { natsRequester } from 'rxjs-socket/nats';
import { describeWithNats, natsClient, startNatsServer, type NatsServer } from './nats-harness';
import { chatClient, startNode, type Chat, type NodeProcess } from './node-process';

const END = -1;

/** The `n` of every chat message a client receives, up to the END marker. */
function collect(client: Connection<Chat, Chat>): Promise<number[]> {
  return lastValueFrom(
    client.messages$.pipe(
      map((m) => m.n),
      takeWhile((n) => n !== END),
      toArray(),
    ),
  );
}

describeWithNats('nodes joined through NATS', () => {
  let server: NatsServer;
  const nodes: NodeProcess[] = [];
  const clients: Array<Connection<Chat, Chat>> = [];
  let nc: NatsConnection | undefined;

  beforeEach(async () => {
    server = await startNatsServer();
  }, 15_000);

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(nodes.splice(0).map((node) => node.stop()));
    await nc?.close();
    nc = undefined;
    await server.stop();
  }, 15_000);

  it('delivers a message from a client on node A to every client of nodes A and B, in order, once', async () => {
    nodes.push(startNode(server.url, { NODE_ID: 'a' }), startNode(server.url, { NODE_ID: 'b' }));
    const [portA, portB] = await Promise.all(nodes.map((node) => node.port));
    clients.push(...(await Promise.all([chatClient(portA as number), chatClient(portA as number), chatClient(portB as number), chatClient(portB as number)])));
    const received = clients.map(collect);
    const sender = clients[0] as Connection<Chat, Chat>;
    for (let n = 0; n < 500; n++) sender.sink.next({ room: 'lobby', n });
    sender.sink.next({ room: 'lobby', n: END });
    const expected = Array.from({ length: 500 }, (_, n) => n);
    for (const got of await Promise.all(received)) expect(got).toEqual(expected);
  }, 30_000);

  it('resubscribes after nats-server is killed and restarted mid-stream, and reports every message it may not have delivered', async () => {
    // B comes back first (it retries every 20 ms, A every 1.5 s): what A held reaches B's interest.
    nodes.push(startNode(server.url, { NODE_ID: 'a', RECONNECT_WAIT: '1500' }), startNode(server.url, { NODE_ID: 'b', RECONNECT_WAIT: '20' }));
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const [portA, portB] = await Promise.all([a.port, b.port]);
    const sender = await chatClient(portA);
    const viewer = await chatClient(portB);
    clients.push(sender, viewer);
    const unsent: number[] = [];
    a.events$.pipe(filter((e) => e.event === 'unsent')).subscribe((e) => unsent.push(e.n as number));
    const received = collect(viewer);
    const seenFirst = firstValueFrom(viewer.messages$.pipe(filter((m) => m.n === 99)));

    for (let n = 0; n < 100; n++) sender.sink.next({ room: 'lobby', n });
    await seenFirst;
    const aDown = a.next((e) => e.event === 'status' && e.status === 'disconnected');
    const bDown = b.next((e) => e.event === 'status' && e.status === 'disconnected');
    // Mid-stream: 100..149 are sent as the server is killed (in doubt: delivered or reported).
    for (let n = 100; n < 150; n++) sender.sink.next({ room: 'lobby', n });
    await server.kill();
    // Once A knows the server is away, what it gets is held: 150..199.
    await Promise.all([aDown, bDown]);
    for (let n = 150; n < 200; n++) sender.sink.next({ room: 'lobby', n });
    const connected = (e: { event: string; status?: string }): boolean => e.event === 'status' && e.status === 'connected';
    await server.restart();
    // The second 'connected' of each: the reconnect.
    await Promise.all([a.next(connected, 2), b.next(connected, 2)]);
    for (let n = 200; n < 300; n++) sender.sink.next({ room: 'lobby', n });
    sender.sink.next({ room: 'lobby', n: END });

    const got = await received;
    // In order, each at most once, and every message either delivered or reported.
    expect(got).toEqual([...got].sort((x, y) => x - y));
    expect(new Set(got).size).toBe(got.length);
    const accounted = new Set([...got, ...unsent]);
    const missing = Array.from({ length: 300 }, (_, n) => n).filter((n) => !accounted.has(n));
    expect(missing).toEqual([]);
    // Held while the server was away and published after the reconnect: 150..199 arrive.
    expect(got.filter((n) => n >= 150 && n < 200)).toEqual(Array.from({ length: 50 }, (_, k) => 150 + k));
    expect(got.filter((n) => n >= 200)).toHaveLength(100);
  }, 60_000);

  it('answers 1,000 requests over 3 serving nodes, each once, spread over the nodes', async () => {
    nodes.push(...['a', 'b', 'c'].map((id) => startNode(server.url, { NODE_ID: id, SERVE: '1' })));
    await Promise.all(nodes.map((node) => node.port));
    nc = await natsClient(server);
    const rpc = natsRequester<number, { n: number; node: string }>(nc, 'rpc.whoami', { codec: { in: json<{ n: number; node: string }>(), out: json<number>() }, timeout: 10_000 });
    const replies = await lastValueFrom(
      range(0, 1_000).pipe(
        mergeMap((n) => rpc.request(n), 100),
        toArray(),
      ),
    );
    expect(replies.map((r) => r.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 1_000 }, (_, n) => n));
    const perNode = new Map<string, number>();
    for (const { node } of replies) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['a', 'b', 'c']);
    for (const count of perNode.values()) expect(count).toBeGreaterThan(150);
    expect(rpc.pending).toBe(0);
  }, 30_000);

});
