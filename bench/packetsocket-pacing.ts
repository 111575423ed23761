// Measures what pacing a packetsocket sender needs for the original receiver (one recv(131072)
// per ~1 ms update; spec/protocols/peers/packetsocket_receiver.py copies its loop): for each
// packet size, how long after the packet has left the process (its write callback, nothing left
// in Node's buffer) the receiver still needs to finish reading it. The next packet must not
// arrive before then. Then, bursts of 20 packets from 0 B to 4 MiB sent with packetsocketClient
// under several pacings, and how many the receiver got. `npx tsx bench/packetsocket-pacing.ts [ROUNDS]`.
import { spawn } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { firstValueFrom, type Subscription } from 'rxjs';
import { DEFAULT_PACKET_PACING, packetsocketClient, type Connection, type PacketPacing } from '../lib';

const receiverScript = join(__dirname, '..', 'spec', 'protocols', 'peers', 'packetsocket_receiver.py');
const sizes = [0, 1024, 64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024, 1 << 20, 2 << 20, 4 << 20];
const rounds = Number(process.argv[2] ?? 5);

function packet(size: number): Buffer {
  const out = Buffer.alloc(8 + size, 0x61);
  out.write('#!?&', 0, 'latin1');
  out.writeUInt32LE(size, 4);
  return out;
}

/** Writes `data` and resolves once Node has handed all of it to the kernel. */
function writeOut(socket: Socket, data: Buffer): Promise<bigint> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve(process.hrtime.bigint()))));
}

/** Starts the receiver in listen mode for `count` packets; resolves with its port and a line reader. */
async function receiver(count: number, idleMs: number): Promise<{ port: number; next: () => Promise<string>; stop: () => void }> {
  const child = spawn('python3', [receiverScript, 'listen', String(count), String(idleMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => String((await lines.next()).value);
  const port = Number(/^port (\d+)$/.exec(await next())?.[1]);
  return { port, next, stop: () => child.kill() };
}

const burstSizes = [0, 1, 7, 100, 1000, 4096, 16_384, 65_535, 131_064, 131_072, 131_073, 262_144, 524_288, 1 << 20, (1 << 20) + 3, 2 << 20, 3 << 20, 3_500_000, (4 << 20) - 1, 4 << 20];

/** Sends one burst with the client kit under `pacing`; resolves with the packets delivered and the time taken. */
async function burst(pacing: PacketPacing | false): Promise<{ delivered: number; ms: number }> {
  const peer = await receiver(burstSizes.length, 1000);
  let subscription: Subscription | undefined;
  const connection = await new Promise<Connection<Uint8Array, Uint8Array>>((resolve) => {
    subscription = packetsocketClient({ port: peer.port, pacing }).subscribe(resolve);
  });
  const started = performance.now();
  for (const size of burstSizes) connection.sink.next(packet(size).subarray(8));
  let line = '';
  while (!line.startsWith('done')) line = await peer.next();
  const ms = performance.now() - started;
  subscription?.unsubscribe();
  await firstValueFrom(connection.closed$);
  peer.stop();
  return { delivered: Number(/^done (\d+)/.exec(line)?.[1]), ms };
}

async function bursts(rounds: number): Promise<void> {
  const pacings: Array<[string, PacketPacing | false]> = [
    ['off', false],
    ['flush only', { gapMs: 0, gapMsPerMiB: 0 }],
    ['flush + 5 ms', { gapMs: 5, gapMsPerMiB: 0 }],
    ['flush + 5 ms + 10 ms/MiB', { gapMs: 5, gapMsPerMiB: 10 }],
    ['flush + 5 ms + 20 ms/MiB', { gapMs: 5, gapMsPerMiB: 20 }],
    [`default: flush + ${DEFAULT_PACKET_PACING.gapMs} ms + ${DEFAULT_PACKET_PACING.gapMsPerMiB} ms/MiB`, DEFAULT_PACKET_PACING],
  ];
  console.log(`\nbursts of ${burstSizes.length} packets, 0 B to 4 MiB (${rounds} rounds): delivered per burst, time of a burst`);
  for (const [name, pacing] of pacings) {
    const results = [];
    for (let round = 0; round < rounds; round++) results.push(await burst(pacing));
    const delivered = results.map((r) => r.delivered);
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`${name.padEnd(40)} ${delivered.join(' ')}   median ${(ms[Math.floor(ms.length / 2)] ?? NaN).toFixed(0)} ms`);
  }
}

async function main(): Promise<void> {
  const child = spawn('python3', [receiverScript, 'listen', String(sizes.length * rounds), '5000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => String((await lines.next()).value);
  const port = Number(/^port (\d+)$/.exec(await next())?.[1]);
  const socket = createConnection({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const rows: Array<{ size: number; lag: number[] }> = sizes.map((size) => ({ size, lag: [] }));
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      const flushed = await writeOut(socket, packet(row.size));
      // Wait for the receiver's line: sending nothing meanwhile, so each packet is alone.
      const line = await next();
      const at = /^packet (\d+) \w+ at=(\d+)$/.exec(line);
      if (!at) throw new Error(`receiver: ${line}`);
      row.lag.push(Number(BigInt(at[2] as string) - flushed) / 1e6);
    }
  }
  socket.end();
  console.log(`after-flush reading time in ms, ${rounds} rounds (min / median / max):`);
  for (const { size, lag } of rows) {
    const sorted = lag.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    console.log(`${String(size).padStart(8)} B  ${(sorted[0] ?? NaN).toFixed(2)} / ${median.toFixed(2)} / ${(sorted.at(-1) ?? NaN).toFixed(2)}`);
  }
  child.kill();
  await bursts(Math.max(3, Math.ceil(rounds / 3)));
}

void main();
