import { QueueOverflowError } from 'rxjs-socket';
import { SendLedger } from '../../lib/websocket/send-ledger';

function ledger(max: number, buffered = (): number => 0): { ledger: SendLedger; events: string[] } {
  const events: string[] = [];
  return {
    ledger: new SendLedger(max, buffered, { writable: (ready) => events.push(`writable ${ready}`), flushed: () => events.push('flushed') }),
    events,
  };
}

describe('SendLedger', () => {
  it('counts messages queued until they leave, one by one, and says when all have', () => {
    const { ledger: l, events } = ledger(100);
    expect(l.accept(10)).toBeNull();
    expect(l.accept(20)).toBeNull();
    expect([l.queuedBytes, l.queuedMessages]).toEqual([30, 2]);
    l.sentOne();
    expect([l.queuedBytes, l.queuedMessages]).toEqual([20, 1]);
    l.sentOne();
    expect([l.queuedBytes, l.queuedMessages]).toEqual([0, 0]);
    expect(events).toEqual(['flushed']);
  });

  it('refuses a message that would take a non-empty queue past the bound, and accepts a large one alone', () => {
    const { ledger: l } = ledger(100);
    expect(l.accept(150)).toBeNull(); // alone: accepted, as the TCP path does
    const overflow = l.accept(1);
    expect(overflow).toBeInstanceOf(QueueOverflowError);
    expect(overflow).toMatchObject({ queuedBytes: 151, max: 100 });
    expect(l.queuedMessages).toBe(1);
  });

  it('is writable while at most half the bound waits, in the ledger and in the transport', () => {
    let buffered = 0;
    const { ledger: l, events } = ledger(100, () => buffered);
    l.accept(50);
    expect(l.writable).toBe(true);
    l.accept(1);
    expect(l.writable).toBe(false);
    l.sentOne();
    expect(l.writable).toBe(true);
    buffered = 60;
    l.update();
    expect(events).toEqual(['writable false', 'writable true', 'writable false']);
  });

  it('learns what left from a byte total, message ends included, and reports the rest on stop', () => {
    const { ledger: l } = ledger(1000);
    for (const size of [10, 10, 10]) l.accept(size);
    l.sentThrough(15); // the first message whole, the second in part
    expect([l.queuedBytes, l.queuedMessages]).toEqual([15, 2]);
    l.sentThrough(5); // never backwards
    expect(l.queuedBytes).toBe(15);
    expect(l.stop()).toEqual({ bytes: 15, messages: 2 });
  });
});
