// The packetsocket kit: broadcast, targeted writes, tagging, and pacing for the original receiver
// (spec/protocols/peers/packetsocket_receiver.py reads as the original does).
import { crc32 } from 'node:zlib';
import { firstValueFrom, Subject, take, toArray, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { InvalidOptionError, packetsocketClient, packetsocketServer, QueueOverflowError, type Connection, type PacketPacing, type PacketServer } from 'rxjs-socket';
import { testConnection, typedError } from 'rxjs-socket/testing';
import { pacedConnection } from '../../lib/protocols/packetsocket/paced-connection';
import { pacingGap } from '../../lib/protocols/packetsocket/packet-pacing';
import { runPeer, startPeer } from '../helpers/python-peer';

async function start(options: { greet?: string; pacing?: PacketPacing | false } = {}): Promise<{ server: PacketServer; port: number; stop: () => void }> {
  const bound = new Subject<number>();
  const port = firstValueFrom(bound);
  let server: PacketServer | undefined;
  const subscription: Subscription = packetsocketServer({ port: 0, ...options, onListening: (a) => a.family !== 'unix' && bound.next(a.port) }).subscribe(
    (s) => (server = s),
  );
  const p = await port;
  return { server: server as PacketServer, port: p, stop: () => subscription.unsubscribe() };
}

function client(port: number, pacing?: PacketPacing | false): Promise<{ connection: Connection<Uint8Array, Uint8Array>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const subscription = packetsocketClient({ port, pacing }).subscribe({ next: (connection) => resolve({ connection, close: () => subscription.unsubscribe() }), error: reject });
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

  it('paces packets by default, so a receiver that takes one read per packet gets them all', async () => {
    const { server, port, stop } = await start({ greet: 'hello' });
    server.packets$.subscribe(({ data }) => server.write(data));
    // The peer sends two packets coalesced in one write, then expects 3 packets, one per recv().
    const lines = await runPeer('packetsocket_peer.py', [String(port), '3', 'one', 'two']);
    expect(lines).toEqual(['hello', 'one', 'two']);
    stop();
  }, 20_000);
});

/** 20 packet sizes from 0 B to 4 MiB, around the original's 128 KiB read among them. */
const burstSizes = [0, 1, 7, 100, 1000, 4096, 16_384, 65_535, 131_064, 131_072, 131_073, 262_144, 524_288, 1 << 20, (1 << 20) + 3, 2 << 20, 3 << 20, 3_500_000, (4 << 20) - 1, 4 << 20];

/** A body of `size` bytes that differs from packet to packet. */
function body(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

const burst = burstSizes.map((size, k) => body(size, k));
/** What the receiver prints for each packet of the burst: its size and the CRC-32 of its body. */
const delivered = burst.map((packet) => `packet ${packet.length} ${crc32(packet).toString(16).padStart(8, '0')}`);
const received = (lines: string[]): string[] => lines.map((line) => line.replace(/ at=\d+$/, ''));

describe('packetsocket pacing against a receiver that reads as the original does', () => {
  it('gets a burst of 20 packets from 0 B to 4 MiB to the receiver, from the server kit', async () => {
    const { server, port, stop } = await start();
    const arrived = firstValueFrom(server.clients$);
    const receiving = runPeer('packetsocket_receiver.py', ['connect', String(port), String(burst.length)], 40_000);
    const peer = await arrived;
    for (const packet of burst) server.write(packet, [peer]);
    const lines = received(await receiving);
    expect(lines).toEqual([...delivered, `done 20/20 updates=${lines.at(-1)?.split('=')[1] ?? ''}`]);
    stop();
  }, 45_000);

  it('gets a burst of 20 packets from 0 B to 4 MiB to the receiver, from the client kit', async () => {
    const peer = await startPeer('packetsocket_receiver.py', ['listen', String(burst.length)]);
    const { connection, close } = await client(peer.port);
    for (const packet of burst) connection.sink.next(packet);
    const lines: string[] = [];
    while (!lines.at(-1)?.startsWith('done')) lines.push(await peer.nextLine());
    expect(received(lines).slice(0, -1)).toEqual(delivered);
    expect(lines.at(-1)).toMatch(/^done 20\/20 /);
    close();
    await peer.stop();
  }, 45_000);

  it('sends at once with pacing: false, and the original receiver loses packets that share a read', async () => {
    const peer = await startPeer('packetsocket_receiver.py', ['listen', '5', '300']);
    const { connection, close } = await client(peer.port, false);
    for (let k = 0; k < 5; k++) connection.sink.next(Buffer.from(`packet ${k}`));
    const lines: string[] = [];
    while (!lines.at(-1)?.startsWith('done')) lines.push(await peer.nextLine());
    expect(lines).toContain('lost two packets in one read (72 bytes for a packet of 8)');
    expect(lines.at(-1)).toMatch(/^done 0\/5 /);
    close();
    await peer.stop();
  }, 15_000);
});

describe('pacedConnection', () => {
  const pacing: PacketPacing = { gapMs: 10, gapMsPerMiB: 1024 * 1024 }; // 10 ms, plus 1 ms per byte

  it('starts the next packet once the previous has left and its gap, growing with its size, has passed', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const peer = testConnection({ scheduler });
      const connection = pacedConnection(peer, { pacing, scheduler, maxQueuedBytes: 1 << 20 });
      const [a, b, c] = [Buffer.from('a'), Buffer.from('bb'), Buffer.from('')];
      connection.sink.next(a); // 9 bytes on the wire: the next starts 10 + 9 ms later
      connection.sink.next(b); // 10 bytes: 20 ms
      connection.sink.next(c);
      expect(connection.queuedMessages).toBe(2);
      expectObservable(peer.outgoing$).toBe('a 18ms b 19ms c', { a, b, c });
    });
  });

  it('fails the connection with QueueOverflowError when waiting packets pass maxQueuedBytes', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const connection = pacedConnection(testConnection({ scheduler }), { pacing, scheduler, maxQueuedBytes: 30 });
      // The first goes at once; the second waits (18 bytes with its prefix); the third would make 36: refused.
      for (let k = 0; k < 3; k++) connection.sink.next(Buffer.alloc(10));
      expect(connection.lateMessages).toBe(1);
      expectObservable(connection.closed$).toBe('(c|)', { c: { error: typedError(QueueOverflowError), unsentBytes: 18, unsentMessages: 2 } });
    });
  });

  it('is not writable while waiting packets pass half of maxQueuedBytes, and flushed once they have all gone', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const connection = pacedConnection(testConnection({ scheduler }), { pacing: { gapMs: 5, gapMsPerMiB: 0 }, scheduler, maxQueuedBytes: 40 });
      const writable: boolean[] = [];
      connection.writable$.subscribe((ready) => writable.push(ready));
      for (let k = 0; k < 3; k++) connection.sink.next(Buffer.alloc(10)); // 18, then 36 bytes wait
      expect(connection.writable).toBe(false);
      expect(writable).toEqual([true, false]);
      expectObservable(connection.writable$).toBe('f 4ms t', { f: false, t: true });
    });
  });

  it('lets waiting packets out before completing the sink', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const peer = testConnection({ scheduler });
      const connection = pacedConnection(peer, { pacing: { gapMs: 5, gapMsPerMiB: 0 }, scheduler, maxQueuedBytes: 1 << 20 });
      const [a, b] = [Buffer.from('a'), Buffer.from('b')];
      connection.sink.next(a);
      connection.sink.next(b);
      connection.sink.complete();
      connection.sink.next(a); // late
      expect(connection.lateMessages).toBe(1);
      expectObservable(peer.outgoing$).toBe('a 4ms (b|)', { a, b });
    });
  });

  it('computes the gap from the packet size', () => {
    expect(pacingGap({ gapMs: 5, gapMsPerMiB: 40 }, 1 << 20)).toBe(45);
    expect(pacingGap({ gapMs: 5, gapMsPerMiB: 40 }, 0)).toBe(5);
  });

  it.each([{ gapMs: -1, gapMsPerMiB: 0 }, { gapMs: 1, gapMsPerMiB: Number.NaN }, { gapMs: 1 } as PacketPacing])('rejects pacing %j with InvalidOptionError', (bad) => {
    expect(() => packetsocketClient({ port: 1, pacing: bad })).toThrow(InvalidOptionError);
    expect(() => packetsocketServer({ port: 0, pacing: bad })).toThrow(InvalidOptionError);
  });
});
