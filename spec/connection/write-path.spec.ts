// The write path's promises, under load: the bound holds at every sink.next() (Node's socket buffer
// counted too), unsent messages are reported exactly, full batches go out at once, idle
// connections hold no batch buffer.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { filter, firstValueFrom, lastValueFrom, map, range, take, tap } from 'rxjs';
import { fromSocket, lengthPrefix, QueueOverflowError, raw, serve, type Connection } from 'rxjs-socket';
import { rawClient, startServer } from '../helpers/loopback';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A connected pair of plain sockets over `listen(target)`: [accepted side, client side]. */
async function socketPair(target: { path: string } | { port: number; host: string }): Promise<[Socket, Socket, Server]> {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => ('path' in target ? server.listen(target.path, resolve) : server.listen(0, target.host, resolve)));
  const address = server.address();
  const client = createConnection('path' in target ? { path: target.path } : { host: target.host, port: (address as { port: number }).port });
  await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
  return [await accepted, client, server];
}

/** Ids of the length-prefixed frames in `bytes` (each payload starts with a u32 BE id); the rest is left over. */
function frameIds(bytes: Buffer, ids: number[]): Buffer {
  let at = 0;
  while (bytes.length - at >= 4) {
    const size = bytes.readUInt32BE(at);
    if (bytes.length - at < 4 + size) break;
    ids.push(bytes.readUInt32BE(at + 4));
    at += 4 + size;
  }
  return bytes.subarray(at);
}

describe('the write path', () => {
  it('holds maxQueuedBytes at every sink.next(), counting bytes inside Node’s socket buffer', async () => {
    const server = await startServer<Uint8Array, Uint8Array>({ codec: raw(), maxQueuedBytes: 4 * 1024 * 1024 });
    const block = Buffer.alloc(8 * 1024);
    let most = 0;
    const served = firstValueFrom(
      server.connections$.pipe(
        serve<Uint8Array, Uint8Array>((_request, connection) =>
          // 500 MiB produced in one go for a peer that never reads.
          range(0, 64_000).pipe(
            map(() => block),
            tap({ finalize: () => undefined }),
            tap(() => (most = Math.max(most, connection.queuedBytes))),
          ),
        ),
      ),
    );
    const client = await rawClient(server.port);
    client.on('error', () => undefined);
    client.pause();
    client.write(Buffer.from([0, 0, 0, 1, 42]));
    const { connection, error } = await served;
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect(most).toBeLessThanOrEqual(4 * 1024 * 1024);
    const closed = await firstValueFrom(connection.closed$);
    expect(closed.unsentBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    client.destroy();
    server.stop();
  }, 20_000);

  it('never reaches the bound for a producer that sends only while writable is true', async () => {
    const server = await startServer<Uint8Array, Uint8Array>({ codec: raw() });
    const [a, b, plain] = await socketPair({ host: '127.0.0.1', port: 0 });
    server.stop();
    const connection = fromSocket(a, { framing: lengthPrefix(), maxQueuedBytes: 1024 * 1024 });
    const block = Buffer.alloc(16 * 1024, 7);
    const total = 2048; // 32 MiB through a 1 MiB bound
    let received = 0;
    b.on('data', (chunk: Buffer) => (received += chunk.length));
    let sent = 0;
    let most = 0;
    await new Promise<void>((resolve, reject) => {
      connection.closed$.subscribe(({ error }) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error("failed"))));
      const pump = (): void => {
        while (connection.writable && sent < total) {
          connection.sink.next(block);
          sent++;
          most = Math.max(most, connection.queuedBytes);
        }
        if (sent < total) connection.writable$.pipe(filter(Boolean), take(1)).subscribe(pump);
        else connection.sink.complete();
      };
      pump();
      b.on('end', () => b.end());
    });
    expect(most).toBeLessThanOrEqual(1024 * 1024);
    expect(received).toBe(total * (4 + block.length));
    plain.close();
  }, 20_000);

  it('reports unsent exactly what never reached the kernel when the peer resets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxsocket-unsent-'));
    const [a, b, plain] = await socketPair({ path: join(dir, 's') });
    const connection = fromSocket(a, { framing: lengthPrefix(), maxQueuedBytes: 64 * 1024 * 1024 });
    const count = 64 * 1024;
    const payload = Buffer.alloc(508);
    // 32 MiB given in one go; the peer reads 2 MiB of it, then resets.
    for (let id = 0; id < count; id++) {
      payload.writeUInt32BE(id, 0);
      connection.sink.next(Buffer.from(payload));
    }
    const delivered: number[] = [];
    let rest: Buffer = Buffer.alloc(0);
    let read = 0;
    b.on('data', (chunk: Buffer) => {
      read += chunk.length;
      rest = frameIds(Buffer.concat([rest, chunk]), delivered);
      if (read >= 2 * 1024 * 1024) b.destroy();
    });
    const closed = await firstValueFrom(connection.closed$);
    const unsent = closed.unsentMessages;
    // Delivered: a prefix in order; unsent: the last `unsent` given, as whole frames.
    expect(delivered).toEqual(Array.from({ length: delivered.length }, (_, k) => k));
    expect(closed.unsentBytes).toBe(unsent * 512);
    // At most the one write request in flight (64 KiB) can be both read by the peer and reported.
    expect(delivered.length + unsent - count).toBeLessThanOrEqual((64 * 1024) / 512);
    // What is neither is what the kernel held (a Unix socket's buffer, about 200 KiB): never
    // Node's own buffer of megabytes.
    const inKernel = (count - unsent - delivered.length) * 512;
    expect(inKernel).toBeLessThanOrEqual(1024 * 1024);
    expect(unsent * 512).toBeGreaterThan(16 * 1024 * 1024);
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  }, 20_000);

  it('writes each full 64 KiB batch as soon as it fills, not at the end of the tick', async () => {
    const [a, b, plain] = await socketPair({ host: '127.0.0.1', port: 0 });
    const connection = fromSocket(a, { framing: lengthPrefix() });
    const message = Buffer.alloc(1020);
    for (let k = 0; k < 256; k++) connection.sink.next(message);
    // Synchronously after the loop: three full batches are already with the socket.
    expect(a.bytesWritten).toBeGreaterThanOrEqual(3 * 64 * 1024 - 1024);
    let received = 0;
    b.on('data', (chunk: Buffer) => (received += chunk.length));
    await firstValueFrom(connection.flushed$);
    expect(connection.queuedBytes).toBe(0);
    connection.destroy();
    b.destroy();
    plain.close();
  });

  it('keeps no batch buffer on an idle connection once its output is flushed', async () => {
    const server = await startServer<Uint8Array, Uint8Array>({ codec: raw() });
    const connections: Connection<Uint8Array, Uint8Array>[] = [];
    server.connections$.subscribe((c) => {
      connections.push(c);
      c.messages$.subscribe({ next: (m) => c.sink.next(m), error: () => undefined });
    });
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const clients: Socket[] = [];
    for (let k = 0; k < 200; k++) {
      const client = await rawClient(server.port);
      const echoed = new Promise((resolve) => client.once('data', resolve));
      client.write(Buffer.from([0, 0, 0, 1, k]));
      await echoed;
      clients.push(client);
    }
    for (const c of connections) if (c.queuedBytes > 0) await firstValueFrom(c.flushed$);
    gc();
    const grown = process.memoryUsage().arrayBuffers - before;
    // 200 connections that each kept a 64 KiB batch would hold 12.5 MiB; the shared pool keeps at most 4 MiB.
    expect(grown).toBeLessThan(5 * 1024 * 1024);
    for (const client of clients) client.destroy();
    server.stop();
  }, 20_000);

  it('counts a message refused past the bound as unsent, with the ones still queued', async () => {
    const [a, b, plain] = await socketPair({ host: '127.0.0.1', port: 0 });
    b.pause();
    const connection = fromSocket(a, { framing: lengthPrefix(), maxQueuedBytes: 256 * 1024 });
    const failed = lastValueFrom(connection.messages$).catch((e: unknown) => e);
    let given = 0;
    for (let k = 0; k < 100_000 && connection.lateMessages === 0; k++, given++) connection.sink.next(Buffer.alloc(60_000));
    expect(await failed).toBeInstanceOf(QueueOverflowError);
    const closed = await firstValueFrom(connection.closed$);
    // Every message given: in the kernel (at most its buffers), or reported.
    expect(closed.unsentMessages).toBeGreaterThanOrEqual(1);
    expect(closed.unsentMessages).toBeLessThanOrEqual(given);
    expect(closed.unsentBytes).toBeLessThanOrEqual(256 * 1024);
    b.destroy();
    plain.close();
  }, 20_000);
});
