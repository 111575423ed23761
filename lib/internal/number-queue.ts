/**
 * A FIFO of numbers in one growable `Float64Array` ring: push and shift cost no allocation once
 * the ring has grown to its working size. Internal: the write path keeps the end offset of every
 * message not yet confirmed written here (8 bytes a message).
 */
export class NumberQueue {
  private ring: Float64Array;
  private head = 0;
  private size = 0;

  constructor(capacity = 16) {
    this.ring = new Float64Array(capacity);
  }

  /** Numbers in the queue. */
  get length(): number {
    return this.size;
  }

  /** Bytes the ring holds now (for memory accounting). */
  get byteLength(): number {
    return this.ring.byteLength;
  }

  push(value: number): void {
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = value;
    this.size++;
  }

  /** The oldest number; `undefined` when empty. */
  peek(): number | undefined {
    return this.size === 0 ? undefined : this.ring[this.head];
  }

  /** Removes and returns the oldest number; `undefined` when empty. */
  shift(): number | undefined {
    if (this.size === 0) return undefined;
    const value = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return value;
  }

  /** Drops every number. With `shrink`, also gives back a ring grown past its first size. */
  clear(shrink = false): void {
    this.head = this.size = 0;
    if (shrink && this.ring.length > 16) this.ring = new Float64Array(16);
  }

  private grow(): void {
    const next = new Float64Array(this.ring.length * 2);
    for (let k = 0; k < this.size; k++) next[k] = this.ring[(this.head + k) % this.ring.length] as number;
    this.ring = next;
    this.head = 0;
  }
}
