// natsHub in one process, two NATS connections standing for two nodes: keys, bytes written as
// they came, interest only while a key has local members.
import { filter, firstValueFrom, Subject } from 'rxjs';
import { json, type Codec } from 'rxjs-socket';
import { natsHub, natsRequester } from 'rxjs-socket/nats';
import { describeWithNats, natsNodesForSuite } from './nats-harness';

interface Chat {
  room: string;
  n: number;
}

interface Member {
  readonly sink: { next: (b: Uint8Array) => void; error: () => void; complete: () => void };
  /** What it was given, as text. */
  readonly got: string[];
  /** Resolves once it has been given `count` messages. */
  has(count: number): Promise<void>;
}

/** A local member that keeps what it is given. */
function member(): Member {
  const got: string[] = [];
  const given = new Subject<number>();
  return {
    sink: { next: (bytes) => given.next(got.push(Buffer.from(bytes).toString())), error: () => undefined, complete: () => undefined },
    got,
    has: async (count) => {
      if (got.length < count) await firstValueFrom(given.pipe(filter((n) => n >= count)));
    },
  };
}

describeWithNats('natsHub', () => {
  const nodes = natsNodesForSuite();

  it('encodes a message once, and writes the same bytes to the members of its key on every node, and no other key', async () => {
    const { a, b } = nodes();
    let encoded = 0;
    const counting: Codec<Chat> = { name: 'counting', encode: (m) => (encoded++, json<Chat>().encode(m)), decode: (f) => json<Chat>().decode(f) };
    const options = { codec: counting, key: (m: Chat) => m.room, subject: (room: string) => `hub1.${room}` };
    const hubA = natsHub(a, options);
    const hubB = natsHub(b, options);
    const [inA, inB, other] = [member(), member(), member()];
    hubA.join('red', inA);
    hubB.join('red', inB);
    hubB.join('blue', other);
    await Promise.all([a.flush(), b.flush()]);
    hubA.sink.next({ room: 'red', n: 1 });
    hubA.sink.next({ room: 'red', n: 2 });
    hubA.sink.next({ room: 'blue', n: 3 });
    await Promise.all([inA.has(2), inB.has(2), other.has(1)]);
    // A round trip on each connection after the last delivery: anything more would have come.
    await Promise.all([a.flush(), b.flush()]);
    expect(encoded).toBe(3);
    expect(inA.got).toEqual(['{"room":"red","n":1}', '{"room":"red","n":2}']);
    expect(inB.got).toEqual(inA.got);
    expect(other.got).toEqual(['{"room":"blue","n":3}']);
    hubA.close();
    hubB.close();
  }, 10_000);

  it('subscribes to a key while it has local members only', async () => {
    const { a, b } = nodes();
    const hub = natsHub(a, { codec: json<Chat>(), key: (m) => m.room, subject: (room: string) => `hub2.${room}` });
    const rpc = natsRequester<Chat, Chat>(b, 'hub2.green', { codec: json(), timeout: 300 });
    const one = member();
    hub.join('green', one);
    expect(hub.keys()).toEqual(['green']);
    hub.leave('green', one);
    expect(hub.keys()).toEqual([]);
    await a.flush();
    await expect(firstValueFrom(rpc.request({ room: 'green', n: 0 }))).rejects.toMatchObject({ code: 'RXSOCKET_ERR_NO_RESPONDERS' });
    hub.close();
  }, 10_000);
});
