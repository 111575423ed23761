// NumberQueue (the write path's ledger of message end offsets) against a plain array as the model.
import fc from 'fast-check';
import { NumberQueue } from '../../lib/internal/number-queue';

type Step = { readonly op: 'push'; readonly value: number } | { readonly op: 'shift' } | { readonly op: 'clear'; readonly release: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('push' as const), value: fc.double({ noNaN: true }) }) },
  { weight: 4, arbitrary: fc.constant({ op: 'shift' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const), release: fc.boolean() }) },
);

describe('NumberQueue', () => {
  it('behaves as a FIFO through any mix of push, shift and clear, with or without its ring', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (steps, capacity) => {
        const queue = new NumberQueue(capacity);
        const model: number[] = [];
        for (const s of steps) {
          if (s.op === 'push') {
            queue.push(s.value);
            model.push(s.value);
          } else if (s.op === 'shift') {
            expect(queue.shift()).toBe(model.shift());
          } else {
            queue.clear(s.release);
            model.length = 0;
          }
          expect(queue.length).toBe(model.length);
          expect(queue.peek()).toBe(model[0]);
        }
      }),
    );
  });

  it('holds one number at a time without a ring, and makes one when a second waits', () => {
    const queue = new NumberQueue();
    for (let k = 0; k < 100; k++) {
      queue.push(k);
      expect(queue.byteLength).toBe(0);
      expect(queue.shift()).toBe(k);
    }
    queue.push(1);
    queue.push(2);
    expect(queue.byteLength).toBe(16 * 8);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([1, 2, undefined]);
    queue.clear(true);
    expect(queue.byteLength).toBe(0);
  });
});
