import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { SKIPPED_FRAME } from '../codec/skipping-codec';

/** How a stream of messages ended, once it has. */
export type MessageEnding = { readonly error: unknown } | 'complete';

/** What a {@link MessageFanOut} tells its owner, as methods of the owner itself (no closures). */
export interface FanOutOwner {
  /** A subscriber arrived (reading may start). */
  firstSubscribed(): void;
  /** The last subscriber left before the end (reading may pause). */
  lastUnsubscribed(): void;
}

/**
 * The `messages$` of a connection, itself the Observable (no wrapper per connection): one source
 * pushed to every current subscriber, the owner told when a subscriber arrives (start reading) and
 * when the last one leaves (pause), and ended once for everyone; a subscriber that comes after
 * the end gets the end at once.
 */
export class MessageFanOut<T> extends Observable<T> {
  /** Current subscribers; replaced (never changed in place) when one comes or goes, so `emit` loops without an iterator. */
  private subscribers: readonly Subscriber<T>[] = [];
  private ending: MessageEnding | null = null;

  constructor(private readonly owner: FanOutOwner) {
    super();
  }

  /** @internal RxJS calls this for each subscription (its own hook, as in its Subject). */
  protected _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    const ending = this.ending;
    if (ending !== null) {
      if (ending === 'complete') subscriber.complete();
      else subscriber.error(ending.error);
      return undefined;
    }
    this.subscribers = [...this.subscribers, subscriber];
    this.owner.firstSubscribed();
    return () => {
      const before = this.subscribers;
      this.subscribers = before.filter((s) => s !== subscriber);
      if (before.length === 1 && this.subscribers.length === 0 && this.ending === null) this.owner.lastUnsubscribed();
    };
  }

  /** True once the stream has ended. */
  get ended(): boolean {
    return this.ending !== null;
  }

  /** Delivers one message to every subscriber (a frame skipped by the `badFrames` policy is none). */
  emit(value: T): void {
    if ((value as unknown) === SKIPPED_FRAME) return;
    const subscribers = this.subscribers;
    for (let k = 0; k < subscribers.length; k++) (subscribers[k] as Subscriber<T>).next(value);
  }

  /** Ends the stream for everyone (only the first ending counts). */
  finish(ending: MessageEnding): void {
    if (this.ending !== null) return;
    this.ending = ending;
    const subscribers = this.subscribers;
    this.subscribers = [];
    for (const subscriber of subscribers) {
      if (ending === 'complete') subscriber.complete();
      else subscriber.error(ending.error);
    }
  }
}
