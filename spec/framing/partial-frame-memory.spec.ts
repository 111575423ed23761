// A partial frame costs memory in proportion to the bytes received, never to the size a peer
// declares, and never per chunk it arrived in.
import { createConnection, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { delimiter, FrameTooLargeError, headerPrefix, lengthPrefix, UnexpectedEndError, type Connection } from 'rxjs-socket';
import { rechunk } from 'rxjs-socket/testing';
import { decodeAll, thrown } from '../helpers/frames';
import { liveMemory, mib } from '../helpers/memory';
import { TransportHarness } from '../connection/transport-harness';

const MiB = 1024 * 1024;
/** A u32 BE header declaring 16 MiB (the default limit), then one payload byte. */
const hostileStart = Buffer.from([0x01, 0x00, 0x00, 0x00, 0x2a]);

describe('partial frames in prefixed decoders', () => {
  it('allocate what has arrived, not the declared size: 300 headers of 16 MiB cost kilobytes', () => {
    const before = liveMemory();
    const decoders = Array.from({ length: 300 }, () => lengthPrefix().createDecoder());
    for (const decoder of decoders) expect(decoder.push(hostileStart)).toEqual([]);
    const grown = liveMemory().arrayBuffers - before.arrayBuffers;

    expect(decoders.every((d) => d.bufferedBytes === 5)).toBe(true);
    // 1,500 bytes received; declared: 4.7 GiB. Each buffer starts at 4 KiB.
    expect(grown).toBeLessThan(300 * 8 * 1024);
  });

  it('grow a payload buffer by doubling as it arrives, capped at the declared size', () => {
    const framing = headerPrefix({ magic: 'JSN1', checksum: 'crc32' });
    const payload = Buffer.alloc(3 * MiB + 5, 0x5a);
    const wire = Buffer.concat(framing.encodeFrame(payload));
    const decoder = framing.createDecoder();
    let at = 0;
    const before = liveMemory();
    for (const received of [16, 1024, 100 * 1024, MiB]) {
      decoder.push(wire.subarray(at, received));
      at = received;
      // Never more than twice what has arrived (a small first buffer aside).
      expect(liveMemory().arrayBuffers - before.arrayBuffers).toBeLessThanOrEqual(Math.max(2 * received, 8 * 1024));
    }
    const [frame] = decoder.push(wire.subarray(at));
    expect(frame?.byteLength).toBe(payload.length);
    expect(Buffer.from(frame as Uint8Array).equals(payload)).toBe(true);
  });

  it('assemble a large frame correctly from chunks of every size', () => {
    const framing = lengthPrefix();
    const payloads = [Buffer.alloc(200_000, 1), Buffer.alloc(5_000, 2), Buffer.from('end')];
    const wire = Buffer.concat(payloads.flatMap((p) => framing.encodeFrame(p)));
    for (const sizes of [[1000], [4095, 4097], [65536], [3, 70_000]]) {
      const frames = decodeAll(framing, rechunk(wire, sizes));
      expect(frames.map((f, k) => f.equals(payloads[k] as Buffer))).toEqual([true, true, true]);
    }
  });

  it('over TCP: 300 clients declaring 16 MiB each cost the server memory for the bytes they sent', async () => {
    const harness = new TransportHarness();
    const clients: Socket[] = [];
    try {
      const server = await harness.listen<Uint8Array, Uint8Array>({ port: 0 });
      const errors: Promise<unknown>[] = [];
      const held: Connection<Uint8Array, Uint8Array>[] = [];
      const taken = server.connections$.subscribe((connection) => {
        held.push(connection); // keeps every decoder alive, as a server busy with 300 clients would
        errors.push(firstValueFrom(connection.messages$).catch((error: unknown) => error));
      });
      const before = liveMemory();
      for (let k = 0; k < 300; k++) {
        const socket = createConnection({ host: '127.0.0.1', port: server.port });
        socket.on('error', () => undefined);
        socket.end(hostileStart); // the header and one byte, then FIN: the server sees the cut frame
        clients.push(socket);
      }
      await server.accepted(299);
      const failures = await Promise.all(errors);
      const grown = liveMemory().arrayBuffers - before.arrayBuffers;
      taken.unsubscribe();

      for (const failure of failures) {
        expect(failure).toBeInstanceOf(UnexpectedEndError);
        expect(failure).toMatchObject({ have: 5, need: 4 + 16 * MiB });
      }
      expect(held).toHaveLength(300);
      // 1,500 bytes received: well under 64 KiB per client (before: 16 MiB each, 4.7 GiB in all).
      if (grown > 300 * 64 * 1024) throw new Error(`grew ${mib(grown)} for 300 partial frames`);
    } finally {
      for (const socket of clients) socket.destroy();
      await harness.teardown();
    }
  }, 20_000);
});

describe('partial frames in the delimiter decoder', () => {
  it('cost about the pending bytes when fed one byte per chunk (no view kept per chunk)', () => {
    const pending = 4 * MiB;
    const source = Buffer.alloc(pending, 0x61);
    const decoder = delimiter({ maxFrameBytes: 16 * MiB }).createDecoder();
    const before = liveMemory();
    for (let k = 0; k < pending; k++) decoder.push(source.subarray(k, k + 1));
    const after = liveMemory();
    const grown = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);

    expect(decoder.bufferedBytes).toBe(pending);
    // One buffer grown by doubling: at most twice the pending bytes (before: ~46 bytes per byte).
    if (grown > 2 * pending + MiB) throw new Error(`grew ${mib(grown)} for ${mib(pending)} pending`);
    const [line] = decoder.push(Buffer.from('\n'));
    expect(line?.byteLength).toBe(pending);
    expect(Buffer.from(line as Uint8Array).equals(source)).toBe(true);
    expect(decoder.bufferedBytes).toBe(0);
  }, 20_000);

  it('keeps frames inside one chunk as views of it', () => {
    const chunk = Buffer.from('ab\ncd\nef');
    const decoder = delimiter({ trailing: 'emit' }).createDecoder();
    const frames = decoder.push(chunk);
    expect(frames.map((f) => f.buffer)).toEqual([chunk.buffer, chunk.buffer]);
    expect(frames.map((f) => Buffer.from(f).toString())).toEqual(['ab', 'cd']);
    expect(decoder.push(Buffer.from('g\n')).map((f) => Buffer.from(f).toString())).toEqual(['efg']);
  });

  it('refuses unterminated data past the limit before storing it', () => {
    const decoder = delimiter({ maxFrameBytes: 10 }).createDecoder();
    decoder.push(Buffer.alloc(6, 0x61));
    const error = thrown(() => decoder.push(Buffer.alloc(5, 0x61)));
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 11, max: 10 });
    expect(decoder.bufferedBytes).toBe(6);
  });
});
