// Demo: messages encoded with each framing, sent over a real loopback TCP connection (node:net,
// 127.0.0.1, a free port), decoded on the other side with the framing's RxJS operator.
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { firstValueFrom, from, fromEvent, takeUntil, toArray, type Observable } from 'rxjs';
import { decodeMessages, delimiter, encodeMessages, headerPrefix, json, lengthPrefix, type Framing } from 'rxjs-socket';

/** The bytes a socket receives, as an Observable that completes at the peer's end of stream. */
function chunksOf(socket: Socket): Observable<Buffer> {
  return fromEvent(socket, 'data', (chunk: Buffer) => chunk).pipe(takeUntil(fromEvent(socket, 'end')));
}

async function roundTrip(name: string, framing: Framing, messages: unknown[]): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const accepted = firstValueFrom(fromEvent(server, 'connection', (socket: Socket) => socket));
  const client = createConnection({ host: '127.0.0.1', port });
  const socket = await accepted;
  const received = firstValueFrom(chunksOf(socket).pipe(framing.decode(), decodeMessages(json()), toArray()));

  // Encode every message and write its parts (header and payload, never concatenated), corked so
  // that the whole burst leaves in few syscalls.
  let wireBytes = 0;
  client.cork();
  from(messages)
    .pipe(encodeMessages(json()), framing.encode())
    .subscribe((parts) => {
      for (const part of parts) {
        client.write(part);
        wireBytes += part.byteLength;
      }
    });
  client.uncork();
  client.end();
  const decoded = await received;

  console.log(`\n${name}  [${framing.name}]  ${wireBytes} bytes on the wire`);
  messages.forEach((m, i) => console.log(`  sent ${JSON.stringify(m).padEnd(30)} decoded ${JSON.stringify(decoded[i])}`));
  socket.destroy();
  server.close();
}

/** Runs the tour: one loopback round trip per framing. */
export async function framingTour(): Promise<void> {
  const messages: unknown[] = [{ hello: 'world' }, [1, 2, 3], 'ünïcödé', 42, false, null];
  await roundTrip('length-prefix', lengthPrefix(), messages);
  await roundTrip('delimiter', delimiter(), messages);
  await roundTrip('header-prefix', headerPrefix({ magic: 'JSN1', checksum: 'crc32' }), messages);
  console.log('\nall framings round-tripped over 127.0.0.1');
}
