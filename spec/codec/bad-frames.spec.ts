// Issue 16, item 6: skipping frames that fail to decode, and validating with a Standard Schema.
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { z } from 'zod';
import {
  DecodeError,
  decodeMessages,
  delimiter,
  fromSocket,
  json,
  lengthPrefix,
  skipBadFrames,
  utf8,
  validated,
  ValidationError,
  type Codec,
  type StandardSchemaV1,
} from 'rxjs-socket';
import { duplexPair, testConnection, typedError } from 'rxjs-socket/testing';

interface Point {
  x: number;
  y: number;
}

/** A hand-written Standard Schema: an object with numeric x and y, given defaults by nothing. */
const pointSchema: StandardSchemaV1<unknown, Point> = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate: (value) => {
      const v = value as Partial<Point> | null;
      if (typeof v === 'object' && v !== null && typeof v.x === 'number' && typeof v.y === 'number') return { value: { x: v.x, y: v.y } };
      return { issues: [{ message: 'expected { x: number, y: number }', path: [] }] };
    },
  },
};

const lines = (...texts: string[]): Buffer => Buffer.from(texts.map((t) => `${t}\n`).join(''));

describe('badFrames', () => {
  it("'close' (the default) ends the connection with the DecodeError", async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, { framing: delimiter(), codec: json() });
    b.end(lines('1', '{bad', '2'));
    await expect(lastValueFrom(connection.messages$.pipe(toArray()))).rejects.toBeInstanceOf(DecodeError);
  });

  it("'skip' drops a bad frame and reads on; skipBadFrames() also counts and reports each", async () => {
    const [a, b] = duplexPair();
    const bad = skipBadFrames();
    const reported: unknown[] = [];
    bad.errors$.subscribe((error) => reported.push(error));
    const connection = fromSocket(a, { framing: delimiter(), codec: json(), badFrames: bad });
    b.end(lines('1', '{bad', '2', '\u00ff', '3'));
    expect(await lastValueFrom(connection.messages$.pipe(toArray()))).toEqual([1, 2, 3]);
    expect(bad.skipped).toBe(2);
    expect(reported).toEqual([typedError({ type: DecodeError, cause: SyntaxError }), typedError(DecodeError)]);
    expect((reported[0] as DecodeError).frameBytes).toBe(4);
  });

  it('skips in virtual time on a test connection too', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const connection = testConnection<string>({
        framing: lengthPrefix(),
        codec: utf8(),
        badFrames: 'skip',
        incomingBytes$: cold('a-b-c|', { a: Uint8Array.of(0, 0, 0, 1, 0x61), b: Uint8Array.of(0, 0, 0, 1, 0xff), c: Uint8Array.of(0, 0, 0, 1, 0x63) }),
      });
      expectObservable(connection.messages$).toBe('a---c|', { a: 'a', c: 'c' });
    });
  });

  it('applies to the decodeMessages operator', async () => {
    const frames = ['1', 'x', '2'].map((t) => Buffer.from(t));
    expect(await lastValueFrom(from(frames).pipe(decodeMessages(json(), { badFrames: 'skip' }), toArray()))).toEqual([1, 2]);
    await expect(lastValueFrom(from(frames).pipe(decodeMessages(json())))).rejects.toBeInstanceOf(DecodeError);
  });
});

describe('validated', () => {
  it('types and checks decoded values with a hand-written Standard Schema', () => {
    const codec: Codec<Point> = validated(json(), pointSchema);
    expect(codec.decode(Buffer.from('{"x":1,"y":2,"z":3}'))).toEqual({ x: 1, y: 2 });
    expect(() => codec.decode(Buffer.from('{"x":1}'))).toThrow(ValidationError);
    expect(Buffer.from(codec.encode({ x: 1, y: 2 })).toString()).toBe('{"x":1,"y":2}');
  });

  it('makes a rejected value a DecodeError whose cause is a ValidationError with the issues, on a connection', async () => {
    const [a, b] = duplexPair();
    const connection = fromSocket(a, { framing: delimiter(), codec: validated(json(), pointSchema) });
    b.end(lines('{"x":1,"y":2}', '{"x":"one"}'));
    const error = await lastValueFrom(connection.messages$.pipe(toArray())).catch((e: unknown) => e);
    expect(error).toEqual(typedError({ type: DecodeError, cause: { type: ValidationError, code: 'RXSOCKET_ERR_VALIDATION' } }));
    expect(((error as DecodeError).cause as ValidationError).issues).toEqual([{ message: 'expected { x: number, y: number }', path: [] }]);
  });

  it('works with zod, typed from the schema, and skips what it rejects under badFrames', async () => {
    const Order = z.object({ id: z.number(), items: z.array(z.string()).default([]) });
    const [a, b] = duplexPair();
    const bad = skipBadFrames();
    const connection = fromSocket(a, { framing: delimiter(), codec: validated(json(), Order), badFrames: bad });
    b.end(lines('{"id":1}', '{"id":"2"}', '{"id":3,"items":["tea"]}'));
    const orders = await lastValueFrom(connection.messages$.pipe(toArray()));
    const ids: number[] = orders.map((order) => order.id); // typed by zod's output
    expect(ids).toEqual([1, 3]);
    expect(orders[0]?.items).toEqual([]); // zod's default applied
    expect(bad.skipped).toBe(1);
  });

  it('refuses a schema that validates asynchronously', () => {
    const slow: StandardSchemaV1<unknown, number> = { '~standard': { version: 1, vendor: 'slow', validate: (value) => Promise.resolve({ value: Number(value) }) } };
    expect(() => validated(json(), slow).decode(Buffer.from('1'))).toThrow(/asynchronously/);
  });
});
