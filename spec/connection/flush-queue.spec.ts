// The end-of-tick flush queue shared by every writer: one microtask for all, in order.
import { flushAtEndOfTick, type Flushable } from '../../lib/connection/flush-queue';

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('flushAtEndOfTick', () => {
  it('flushes every writer that asked in a tick, in order, once, at the end of the tick', async () => {
    const flushed: number[] = [];
    const writers = [0, 1, 2].map((id): Flushable => ({ flushQueued: () => flushed.push(id) }));
    for (const writer of writers) flushAtEndOfTick(writer);
    expect(flushed).toEqual([]);
    await Promise.resolve();
    expect(flushed).toEqual([0, 1, 2]);
  });

  it('flushes, in the same pass, a writer that asks again while being flushed', async () => {
    let calls = 0;
    const writer: Flushable = {
      flushQueued: () => {
        if (++calls === 1) flushAtEndOfTick(writer);
      },
    };
    flushAtEndOfTick(writer);
    await nextMacrotask();
    expect(calls).toBe(2);
  });
});
