import { json, lengthPrefix } from 'rxjs-socket';
import { BATCH_BYTES, directPathWriter, libraryPathWriter, type BatchWriter, type DirectMethod } from '../../bench/json-encode-paths';

// The json-encode bench compares these two writers: they must produce the same bytes, batch by
// batch, or the bench would compare different work.

const MAX = 1024 * 1024;
const METHODS: readonly DirectMethod[] = ['write', 'utf8Write'];

/** Runs `values` through a writer and returns a copy of every batch it handed over (its ring reuses them). */
function batchesOf(make: (sink: (batch: Buffer) => void) => BatchWriter, values: readonly unknown[]): Buffer[] {
  const batches: Buffer[] = [];
  const writer = make((batch) => batches.push(Buffer.from(batch)));
  for (const value of values) writer.write(value);
  writer.finish();
  return batches;
}

const libraryBatches = (values: readonly unknown[]): Buffer[] => batchesOf((sink) => libraryPathWriter(json(), lengthPrefix(), sink), values);
const directBatches = (method: DirectMethod, values: readonly unknown[]): Buffer[] => batchesOf((sink) => directPathWriter(MAX, method, sink), values);

/** The JSON values in `batches`, read back with the library's length-prefix decoder and json codec. */
function decodeAll(batches: readonly Buffer[]): unknown[] {
  const decoder = lengthPrefix().createDecoder();
  const codec = json();
  const values: unknown[] = [];
  for (const batch of batches) decoder.feed(batch, (frame) => values.push(codec.decode(frame)));
  decoder.finish(() => {});
  return values;
}

/** A string filler whose frame (4-byte length, quoted text) takes exactly `bytes` bytes. */
const filler = (bytes: number): string => 'x'.repeat(bytes - 6);

const VALUES: readonly unknown[] = [
  { seq: 1, ts: 1_718_000_000_000, sensor: 'temp-01', value: 21.5, unit: 'celsius', ok: true },
  { seq: 2, sensor: 'température-01', unit: '°C', note: 'Zürich ✓ 🌡' },
  'lone surrogate \ud800 and escapes "\n\t\\',
  [1, 'two', null, false, 0, {}],
  '',
  3.5,
  null,
];

describe('json-encode bench paths', () => {
  it.each(METHODS)('write the same bytes as the library path (%s)', (method) => {
    const values = Array.from({ length: 2000 }, (_, k) => VALUES[k % VALUES.length]);
    const expected = libraryBatches(values);
    expect(expected.length).toBeGreaterThan(1);
    expect(directBatches(method, values)).toEqual(expected);
    expect(decodeAll(expected)).toEqual(values);
  }, 10_000);

  // A non-ASCII value whose text needs fewer bytes than `length * 3`: near the batch's end the
  // direct path counts the exact bytes to choose between this batch and the next.
  const edge = { sensor: 'température', unit: '°C', mark: '✓🌡' };
  const edgeFrame = 4 + Buffer.byteLength(JSON.stringify(edge));

  it.each([
    ['fills the batch exactly', edgeFrame, 1],
    ['fits with a byte to spare', edgeFrame + 1, 1],
    ['misses by a byte: a new batch', edgeFrame - 1, 2],
    ['has room for the `length * 3` bound', 4 + JSON.stringify(edge).length * 3, 1],
  ])('near the end of a batch, where the room %s', (_, room, batchesWithEdge) => {
    const used = BATCH_BYTES - room;
    expect(libraryBatches([filler(used), edge]).map((b) => b.length)).toEqual(batchesWithEdge === 1 ? [used + edgeFrame] : [used, edgeFrame]);
    const values = [filler(used), edge, 'after'];
    const expected = libraryBatches(values);
    for (const method of METHODS) expect(directBatches(method, values)).toEqual(expected);
    expect(decodeAll(expected)).toEqual(values);
  }, 10_000);

  it.each(METHODS)('refuse what the library refuses, writing nothing (%s)', (method) => {
    const writer = directPathWriter(10, method, () => {});
    expect(() => writer.write(undefined)).toThrow(TypeError);
    expect(() => writer.write('more than ten bytes')).toThrow(RangeError);
    expect(() => directPathWriter(MAX, method, () => {}).write(filler(BATCH_BYTES + 1))).toThrow(RangeError);
    const batches: Buffer[] = [];
    const fresh = directPathWriter(10, method, (batch) => batches.push(Buffer.from(batch)));
    expect(() => fresh.write('more than ten bytes')).toThrow(RangeError);
    fresh.write('ok');
    fresh.finish();
    expect(batches).toEqual(libraryBatches(['ok']));
  }, 10_000);
});
