// The publisher's bookkeeping without NATS: waiting, in doubt, confirmed by a flush, lost, bounded.
import { PublishLedger } from '../../lib/nats/publish-ledger';

const bytes = (n: number): Uint8Array => new Uint8Array(n);

describe('PublishLedger', () => {
  it('confirms the messages a flush covered, and only those', () => {
    const ledger = new PublishLedger<string>({ maxMessages: 10, maxBytes: 100, whenFull: 'drop-newest' });
    ledger.published('a', 1);
    ledger.published('b', 1);
    const first = ledger.startFlush();
    expect(first).not.toBe(-1);
    ledger.published('c', 1);
    expect(ledger.startFlush()).toBe(-1); // one flush at a time
    ledger.flushed(first);
    expect(ledger.messages).toBe(1);
    expect(ledger.lost()).toEqual(['c']);
  });

  it('gives up every message in doubt when the connection is lost, and ignores a late flush', () => {
    const ledger = new PublishLedger<string>({ maxMessages: 10, maxBytes: 100, whenFull: 'drop-newest' });
    ledger.published('a', 3);
    const flush = ledger.startFlush();
    expect(ledger.lost()).toEqual(['a']);
    ledger.published('b', 2);
    ledger.flushed(flush);
    expect(ledger.messages).toBe(1);
    expect(ledger.bytes).toBe(2);
  });

  it('holds waiting messages with their payloads, in order, and counts them in the bounds', () => {
    const ledger = new PublishLedger<string>({ maxMessages: 3, maxBytes: 10, whenFull: 'drop-newest' });
    ledger.published('sent', 4);
    const evicted: string[] = [];
    const evict = (m: string): number => evicted.push(m);
    expect(ledger.admit(4, evict)).toBe(true);
    ledger.wait('x', bytes(4));
    expect(ledger.admit(4, evict)).toBe(false); // 12 bytes > 10
    expect(ledger.admit(2, evict)).toBe(true);
    expect(evicted).toEqual([]);
    ledger.wait('y', bytes(2));
    const { messages, payloads } = ledger.takeWaiting();
    expect(messages).toEqual(['x', 'y']);
    expect(payloads.map((p) => p.byteLength)).toEqual([4, 2]);
    expect(ledger.bytes).toBe(4);
  });

  it("evicts the oldest waiting message with 'drop-oldest'", () => {
    const ledger = new PublishLedger<string>({ maxMessages: 2, maxBytes: 100, whenFull: 'drop-oldest' });
    ledger.wait('x', bytes(1));
    ledger.wait('y', bytes(1));
    const evicted: string[] = [];
    expect(ledger.admit(1, (m) => evicted.push(m))).toBe(true);
    expect(evicted).toEqual(['x']);
    ledger.wait('z', bytes(1));
    expect(ledger.close()).toEqual(['y', 'z']);
    expect(ledger.messages).toBe(0);
  });
});
