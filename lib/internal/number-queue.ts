const EMPTY_RING = new Float64Array(0);

/**
 * A FIFO of numbers in one growable `Float64Array` ring: push and shift cost no allocation once
 * the ring has grown to its working size. A queue that never holds more than one number needs no
 * ring at all (it is kept in a field: a request/response connection, a broadcast to idle clients);
 * the ring is made when a second number waits and can be given back when empty ({@link clear}
 * with `release`), so an idle owner holds none. Internal: the write path keeps the end offset of
 * every message not yet confirmed written here (8 bytes a message).
 */
export class NumberQueue {
  private ring: Float64Array = EMPTY_RING;
  private head = 0;
  private size = 0;
  /** The number queued while there is no ring (then `size` is 0 or 1). */
  private only = 0;

  constructor(private readonly capacity = 16) {}

  /** Numbers in the queue. */
  get length(): number {
    return this.size;
  }

  /** Bytes the ring holds now (for memory accounting). */
  get byteLength(): number {
    return this.ring.byteLength;
  }

  push(value: number): void {
    if (this.ring.length === 0) {
      if (this.size === 0) {
        this.only = value;
        this.size = 1;
        return;
      }
      this.grow();
    } else if (this.size === this.ring.length) {
      this.grow();
    }
    this.ring[(this.head + this.size) % this.ring.length] = value;
    this.size++;
  }

  /** The oldest number; `undefined` when empty. */
  peek(): number | undefined {
    if (this.size === 0) return undefined;
    return this.ring.length === 0 ? this.only : this.ring[this.head];
  }

  /** Removes and returns the oldest number; `undefined` when empty. */
  shift(): number | undefined {
    if (this.size === 0) return undefined;
    if (this.ring.length === 0) {
      this.size = 0;
      return this.only;
    }
    const value = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return value;
  }

  /** Drops every number. With `release`, also gives back the ring (the next push makes a new one). */
  clear(release = false): void {
    this.head = this.size = 0;
    if (release) this.ring = EMPTY_RING;
  }

  private grow(): void {
    const next = new Float64Array(Math.max(this.capacity, this.ring.length * 2, this.size + 1));
    if (this.ring.length === 0) next[0] = this.only;
    else for (let k = 0; k < this.size; k++) next[k] = this.ring[(this.head + k) % this.ring.length] as number;
    this.ring = next;
    this.head = 0;
  }
}
