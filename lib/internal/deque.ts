/**
 * A double-ended queue on a growable ring: push, shift and unshift in O(1), so draining or
 * refilling a buffer of 100,000 items costs linear time (an array's `shift()` in a loop is
 * quadratic). Internal: not exported from the package.
 */
export class Deque<T> {
  private ring: Array<T | undefined>;
  private head = 0;
  private size = 0;

  constructor(capacity = 16) {
    this.ring = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = item;
    this.size++;
  }

  unshift(item: T): void {
    if (this.size === this.ring.length) this.grow();
    this.head = (this.head - 1 + this.ring.length) % this.ring.length;
    this.ring[this.head] = item;
    this.size++;
  }

  /** Removes and returns the oldest item; `undefined` when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return item;
  }

  /** Removes every item and returns them, oldest first. */
  drain(): T[] {
    const items: T[] = [];
    while (this.size > 0) items.push(this.shift() as T);
    this.ring = new Array<T | undefined>(16);
    this.head = 0;
    return items;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.ring.length * 2);
    for (let k = 0; k < this.size; k++) next[k] = this.ring[(this.head + k) % this.ring.length];
    this.ring = next;
    this.head = 0;
  }
}
