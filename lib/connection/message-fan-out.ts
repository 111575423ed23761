import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { SKIPPED_FRAME } from '../codec/skipping-codec';
import { Deque } from '../internal/deque';

/** How a stream of messages ended, once it has. */
export type MessageEnding = { readonly error: unknown } | 'complete';

/** What a {@link MessageFanOut} tells its owner, as methods of the owner itself (no closures). */
export interface FanOutOwner {
  /** A subscriber arrived and took what was held (reading may start). */
  firstSubscribed(): void;
  /** The last subscriber left before the end (reading may pause). */
  lastUnsubscribed(): void;
}

/** The subscribers of a stream nobody watches: one array for every connection. */
const NO_SUBSCRIBERS: readonly never[] = [];

/** A message held for the next subscriber, with the bytes it took on the wire. */
interface HeldMessage<T> {
  readonly value: T;
  readonly bytes: number;
}

/**
 * The `messages$` of a connection, itself the Observable (no wrapper per connection): one source
 * pushed to every current subscriber, the owner told when a subscriber arrives (start reading) and
 * when the last one leaves (pause), and ended once for everyone. While nobody is subscribed,
 * messages are held (the connection bounds them by `maxHeldBytes`) and the next subscriber gets
 * them first, then the end if it came already; a subscriber that comes after the end and the held
 * messages gets the end at once.
 */
export class MessageFanOut<T> extends Observable<T> {
  /** Current subscribers; replaced (never changed in place) when one comes or goes, so `emit` loops without an iterator. */
  private subscribers: readonly Subscriber<T>[] = NO_SUBSCRIBERS;
  private ending: MessageEnding | null = null;
  /** Created on the first message held, so a connection that is always read holds no queue. */
  private held: Deque<HeldMessage<T>> | null = null;
  private heldTotal = 0;

  constructor(private readonly owner: FanOutOwner) {
    super();
  }

  /** @internal RxJS calls this for each subscription (its own hook, as in its Subject). */
  protected _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    const replayed = this.replayHeld(subscriber);
    const ending = this.ending;
    if (ending !== null || subscriber.closed) {
      if (ending === 'complete') subscriber.complete();
      else if (ending !== null) subscriber.error(ending.error);
      // It took held messages and left (`first()`, `take(n)`): fewer are held, so reading ahead may go on.
      else if (replayed) this.owner.lastUnsubscribed();
      return undefined;
    }
    // A literal for the usual one subscriber: an array of exactly one slot (a spread reserves 17).
    this.subscribers = this.subscribers.length === 0 ? [subscriber] : [...this.subscribers, subscriber];
    this.owner.firstSubscribed();
    return () => {
      const before = this.subscribers;
      this.subscribers = before.length === 1 && before[0] === subscriber ? NO_SUBSCRIBERS : before.filter((s) => s !== subscriber);
      if (before.length === 1 && this.subscribers.length === 0 && this.ending === null) this.owner.lastUnsubscribed();
    };
  }

  /** True once the stream has ended. */
  get ended(): boolean {
    return this.ending !== null;
  }

  /** True while somebody is subscribed. */
  get observed(): boolean {
    return this.subscribers.length > 0;
  }

  /** Bytes of the messages held for the next subscriber. */
  get heldBytes(): number {
    return this.heldTotal;
  }

  /**
   * Delivers one message (`bytes` long on the wire) to every subscriber, or holds it for the next
   * one while there is none (a frame skipped by the `badFrames` policy is no message).
   */
  emit(value: T, bytes: number): void {
    if ((value as unknown) === SKIPPED_FRAME) return;
    const subscribers = this.subscribers;
    if (subscribers.length === 0) {
      (this.held ??= new Deque<HeldMessage<T>>()).push({ value, bytes });
      this.heldTotal += bytes;
      return;
    }
    for (let k = 0; k < subscribers.length; k++) (subscribers[k] as Subscriber<T>).next(value);
  }

  /** Ends the stream for everyone (only the first ending counts); held messages still go first. */
  finish(ending: MessageEnding): void {
    if (this.ending !== null) return;
    this.ending = ending;
    const subscribers = this.subscribers;
    this.subscribers = NO_SUBSCRIBERS;
    for (const subscriber of subscribers) {
      if (ending === 'complete') subscriber.complete();
      else subscriber.error(ending.error);
    }
  }

  /** Gives the held messages, oldest first, to `subscriber` while it stays subscribed; true if it gave any. */
  private replayHeld(subscriber: Subscriber<T>): boolean {
    const held = this.held;
    if (held === null) return false;
    while (held.length > 0 && !subscriber.closed) {
      const message = held.shift() as HeldMessage<T>;
      this.heldTotal -= message.bytes;
      subscriber.next(message.value);
    }
    if (held.length === 0) this.held = null;
    return true;
  }
}
