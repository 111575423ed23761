// The packetsocket kit: broadcast, targeted writes, tagging, and pacing for the original receiver.
import { firstValueFrom, Subject, take, toArray, type Subscription } from 'rxjs';
import { packetsocketClient, packetsocketServer, type Connection, type PacketServer } from 'rxjs-socket';
import { runPeer } from '../helpers/python-peer';

async function start(options: { greet?: string; gapMs?: number } = {}): Promise<{ server: PacketServer; port: number; stop: () => void }> {
  const bound = new Subject<number>();
  const port = firstValueFrom(bound);
  let server: PacketServer | undefined;
  const subscription: Subscription = packetsocketServer({ port: 0, ...options, onListening: (a) => a.family !== 'unix' && bound.next(a.port) }).subscribe(
    (s) => (server = s),
  );
  const p = await port;
  return { server: server as PacketServer, port: p, stop: () => subscription.unsubscribe() };
}

function client(port: number): Promise<{ connection: Connection<Uint8Array, Uint8Array>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const subscription = packetsocketClient({ port }).subscribe({ next: (connection) => resolve({ connection, close: () => subscription.unsubscribe() }), error: reject });
  });
}

const text = (packets: Uint8Array[]): string[] => packets.map((p) => Buffer.from(p).toString());

describe('packetsocketServer', () => {
  it('tags packets with their client, broadcasts by default (sender included) and targets on request', async () => {
    const { server, port, stop } = await start();
    const tagged = firstValueFrom(server.packets$.pipe(take(1)));
    const arrivals = firstValueFrom(server.clients$.pipe(take(2), toArray()));
    const a = await client(port);
    const b = await client(port);
    const [first, second] = await arrivals;
    const aGets = firstValueFrom(a.connection.messages$.pipe(take(2), toArray()));
    const bGets = firstValueFrom(b.connection.messages$.pipe(take(1), toArray()));
    a.connection.sink.next(Buffer.from('from a'));
    const packet = await tagged;
    expect(packet.client.id).toBe(first?.id);
    expect(Buffer.from(packet.data).toString()).toBe('from a');
    server.write(packet.data);
    server.write('only a', [first as NonNullable<typeof first>]);
    expect(text(await aGets)).toEqual(['from a', 'only a']);
    expect(text(await bGets)).toEqual(['from a']);
    expect(second?.id).toBe(2);
    a.close();
    b.close();
    stop();
  }, 10_000);

  it('greets each new client and drops a client that disconnects', async () => {
    const { server, port, stop } = await start({ greet: 'welcome' });
    const a = await client(port);
    expect(text([await firstValueFrom(a.connection.messages$)])).toEqual(['welcome']);
    a.close();
    await firstValueFrom(a.connection.closed$);
    while (server.clients.length > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(server.clients).toEqual([]);
    stop();
  }, 10_000);

  it('writes each packet alone with gapMs, so a receiver that takes one read per packet gets them all', async () => {
    const { server, port, stop } = await start({ greet: 'hello', gapMs: 20 });
    server.packets$.subscribe(({ data }) => server.write(data));
    // The peer sends two packets coalesced in one write, then expects 3 packets, one per recv().
    const lines = await runPeer('packetsocket_peer.py', [String(port), '3', 'one', 'two']);
    expect(lines).toEqual(['hello', 'one', 'two']);
    stop();
  }, 20_000);
});
