// Property: a codec whose payload is text (json, utf8) over a framing with `encodeTextInto` puts on
// the wire exactly the frames of the general path (encode, then encodeInto), fails with the same
// typed errors, and counts the same bytes, messages and unsent messages.
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import fc from 'fast-check';
import { firstValueFrom } from 'rxjs';
import { delimiter, fromSocket, headerPrefix, json, lengthPrefix, utf8, type Codec, type Framing } from 'rxjs-socket';
import { duplexPair } from 'rxjs-socket/testing';

interface Outcome {
  wire: string;
  error: string;
  unsentBytes: number;
  unsentMessages: number;
  messagesOut: number;
  bytesOut: number;
  late: number;
}

/** A description of an error that two runs must share: class, code, message, and those of its cause. */
function describeError(error: unknown): string {
  if (error === undefined) return 'none';
  if (!(error instanceof Error)) return `non-error ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  return `${error.constructor.name} ${String(code)} ${error.message} <- ${error.cause === undefined ? '' : describeError(error.cause)}`;
}

/** What the peer reads until the end of stream, copied as it arrives. */
async function readAll(peer: Duplex): Promise<Buffer> {
  const chunks: Buffer[] = [];
  peer.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  await Promise.race([once(peer, 'end'), once(peer, 'close')]);
  return Buffer.concat(chunks);
}

/** Sends `values` in one tick over a fresh in-memory connection, completes it, and reports what happened. */
async function run(framing: Framing, codec: Codec<unknown>, values: readonly unknown[], maxQueuedBytes: number): Promise<Outcome> {
  const [ours, peer] = duplexPair();
  const received = readAll(peer);
  const connection = fromSocket<unknown, unknown>(ours, { framing, codec, maxQueuedBytes });
  const closed = firstValueFrom(connection.closed$);
  for (const value of values) connection.sink.next(value);
  connection.sink.complete();
  const wire = await received;
  peer.end();
  const info = await closed;
  const traffic = connection.traffic ?? { messagesOut: -1, bytesOut: -1 };
  return {
    wire: wire.toString('hex'),
    error: describeError(info.error),
    unsentBytes: info.unsentBytes,
    unsentMessages: info.unsentMessages,
    messagesOut: traffic.messagesOut,
    bytesOut: traffic.bytesOut,
    late: connection.lateMessages,
  };
}

/** The same codec as a new object: it has no text form, so the connection takes the general path. */
function generalPath<T>(codec: Codec<T>): Codec<T> {
  return { name: codec.name, encode: (value) => codec.encode(value), decode: (frame) => codec.decode(frame) };
}

const unit16 = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Text of every kind: ASCII, any code points, emoji clusters, and lone surrogates. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: unit16 }),
  fc.constantFrom('\n', 'a\r\nb', 'x\0y', '\ud800', 'é\udfff😀', '©'),
);
const unencodable = fc.constantFrom<unknown>(undefined, () => 1, 10n, Symbol('s'));
const jsonValues = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue() },
  { weight: 3, arbitrary: fc.dictionary(fc.string(), anyText) },
  { weight: 3, arbitrary: anyText },
  { weight: 1, arbitrary: unencodable },
);

interface Case {
  name: string;
  framing: () => Framing;
  codec: () => Codec<unknown>;
  values: fc.Arbitrary<unknown>;
  /** Largest padding message, so that others straddle a batch's end (64 KiB). */
  padMax: number;
}

const cases: Case[] = [
  { name: 'json, lengthPrefix u32be', framing: () => lengthPrefix(), codec: () => json(), values: jsonValues, padMax: 16_000 },
  { name: 'json (max 60 bytes), lengthPrefix u32le', framing: () => lengthPrefix({ endian: 'little' }), codec: () => json({ maxFrameBytes: 60 }), values: jsonValues, padMax: 20 },
  { name: 'json, lengthPrefix u8 (max 255)', framing: () => lengthPrefix({ lengthBytes: 1 }), codec: () => json(), values: jsonValues, padMax: 200 },
  { name: 'json, lengthPrefix u16le incl. header', framing: () => lengthPrefix({ lengthBytes: 2, endian: 'little', lengthIncludesHeader: true }), codec: () => json(), values: jsonValues, padMax: 16_000 },
  { name: 'json, lengthPrefix u64be (max 100)', framing: () => lengthPrefix({ lengthBytes: 8, maxFrameBytes: 100 }), codec: () => json(), values: jsonValues, padMax: 90 },
  { name: 'json, headerPrefix JSN1 + crc32', framing: () => headerPrefix({ magic: 'JSN1', checksum: 'crc32' }), codec: () => json(), values: jsonValues, padMax: 16_000 },
  { name: 'json, delimiter LF', framing: () => delimiter(), codec: () => json(), values: jsonValues, padMax: 16_000 },
  { name: 'utf8, delimiter LF', framing: () => delimiter(), codec: () => utf8(), values: anyText, padMax: 16_000 },
  { name: 'utf8, delimiter CRLF (max 40)', framing: () => delimiter({ delimiter: '\r\n', maxFrameBytes: 40 }), codec: () => utf8(), values: anyText, padMax: 30 },
  { name: 'utf8, delimiter NUL', framing: () => delimiter({ delimiter: 0 }), codec: () => utf8(), values: anyText, padMax: 16_000 },
  { name: 'utf8, delimiter 0xA9 (inside ©)', framing: () => delimiter({ delimiter: Uint8Array.of(0xa9) }), codec: () => utf8(), values: anyText, padMax: 16_000 },
  { name: 'utf8, lengthPrefix u32be', framing: () => lengthPrefix(), codec: () => utf8(), values: anyText, padMax: 16_000 },
];

describe.each(cases)('text payloads: $name', ({ framing, codec, values, padMax }) => {
  it('puts the general path’s frames on the wire, with the same errors and counts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: padMax }), { maxLength: 6 }),
        fc.array(values, { maxLength: 12 }),
        fc.oneof(fc.constant(64 * 1024 * 1024), fc.integer({ min: 1, max: 40_000 })),
        async (pads, list, maxQueuedBytes) => {
          const all = [...pads.map((n) => 'p'.repeat(n)), ...list];
          const text = codec();
          const direct = await run(framing(), text, all, maxQueuedBytes);
          const general = await run(framing(), generalPath(text), all, maxQueuedBytes);
          expect(direct).toEqual(general);
          if (direct.error === 'none') {
            // And those are the frames of encodeFrame, message after message.
            const f = framing();
            const frames = all.flatMap((value) => f.encodeFrame(text.encode(value)).map((part) => Buffer.from(part)));
            expect(direct.wire).toBe(Buffer.concat(frames).toString('hex'));
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('the text path', () => {
  it('is taken for json over lengthPrefix, and not for a codec without a text form', async () => {
    const base = lengthPrefix();
    let calls = 0;
    const counted: Framing = {
      ...base,
      encodeTextInto: (text, target, offset, end) => {
        calls++;
        return (base.encodeTextInto as NonNullable<Framing['encodeTextInto']>)(text, target, offset, end);
      },
    };
    const values = [{ a: 1 }, 'é😀', [1, 2, 3]];
    const direct = await run(counted, json(), values, 1 << 20);
    expect(calls).toBe(3);
    const general = await run(counted, generalPath(json()), values, 1 << 20);
    expect(calls).toBe(3);
    expect(direct).toEqual(general);
    expect(direct.bytesOut).toBe(values.reduce<number>((sum, v) => sum + Buffer.byteLength(JSON.stringify(v)), 0));
  }, 10_000);

  it('reports an unencodable value, a too-large text and a delimiter inside a string as before', async () => {
    const direct = await run(delimiter(), json({ maxFrameBytes: 10 }), [1, 'x'.repeat(20)], 1 << 20);
    expect(direct.error).toMatch(/^FrameTooLargeError RXSOCKET_ERR_FRAME_TOO_LARGE/);
    expect(direct).toEqual(await run(delimiter(), generalPath(json({ maxFrameBytes: 10 })), [1, 'x'.repeat(20)], 1 << 20));
    const undef = await run(lengthPrefix(), json(), [1, undefined, 2], 1 << 20);
    expect(undef.error).toMatch(/^EncodeError /);
    expect(undef).toEqual(await run(lengthPrefix(), generalPath(json()), [1, undefined, 2], 1 << 20));
    const line = await run(delimiter(), utf8(), ['ok', 'a\nb', 'late'], 1 << 20);
    expect(line.error).toMatch(/^DelimiterInPayloadError RXSOCKET_ERR_DELIMITER_IN_PAYLOAD payload contains the delimiter at offset 1/);
    expect(line).toEqual({ ...(await run(delimiter(), generalPath(utf8()), ['ok', 'a\nb', 'late'], 1 << 20)) });
  }, 10_000);

  it('writes the same frames over TCP, batch after pooled batch', async () => {
    const server = createServer();
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createConnection({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
    await once(client, 'connect');
    const [socket] = await accepted;
    const received = readAll(client);
    const connection = fromSocket<unknown, unknown>(socket, { framing: lengthPrefix(), codec: json() });
    const values = Array.from({ length: 3000 }, (_, i) => ({ i, text: 'é😀\ud800'.repeat(i % 40), pad: 'x'.repeat((i * 7919) % 300) }));
    for (const value of values.slice(0, 1500)) connection.sink.next(value);
    await firstValueFrom(connection.flushed$);
    for (const value of values.slice(1500)) connection.sink.next(value);
    connection.sink.complete();
    const wire = await received;
    client.end();
    await firstValueFrom(connection.closed$);
    server.close();
    const frames = values.flatMap((value) => lengthPrefix().encodeFrame(json().encode(value)).map((part) => Buffer.from(part)));
    expect(wire.equals(Buffer.concat(frames))).toBe(true);
    expect(connection.traffic?.bytesOut).toBe(values.reduce<number>((sum, v) => sum + Buffer.byteLength(JSON.stringify(v)), 0));
  }, 10_000);
});
