import { Observable, type Subscriber } from 'rxjs';
import { SKIPPED_FRAME } from '../codec/skipping-codec';
import { Deque } from '../internal/deque';

/** How a stream of messages ended, once it has. */
export type MessageEnding = { readonly error: unknown } | 'complete';

/**
 * The `messages$` of a connection: one source pushed to every current subscriber, told when a
 * subscriber arrives or the last one leaves, and ended once for everyone. While nobody is
 * subscribed, messages are held (the connection bounds them by `maxHeldBytes`) and the next
 * subscriber gets them first, then the end if it came already; a subscriber that comes after the
 * end and the held messages gets the end at once.
 */
export class MessageFanOut<T> {
  readonly messages$: Observable<T>;
  private readonly subscribers = new Set<Subscriber<T>>();
  private ending: MessageEnding | null = null;
  private readonly held = new Deque<T>();
  private readonly heldSizes = new Deque<number>();
  private heldTotal = 0;

  constructor(
    /** A subscriber arrived (and took what was held). */
    onSubscribe: () => void,
    /** The last subscriber left before the end. */
    onLastUnsubscribe: () => void,
  ) {
    this.messages$ = new Observable<T>((subscriber) => {
      this.replayHeld(subscriber);
      const ending = this.ending;
      if (ending !== null || subscriber.closed) {
        if (ending === 'complete') subscriber.complete();
        else if (ending !== null) subscriber.error(ending.error);
        return undefined;
      }
      this.subscribers.add(subscriber);
      onSubscribe();
      return () => {
        if (this.subscribers.delete(subscriber) && this.subscribers.size === 0 && this.ending === null) onLastUnsubscribe();
      };
    });
  }

  /** True once the stream has ended. */
  get ended(): boolean {
    return this.ending !== null;
  }

  /** True while somebody is subscribed. */
  get observed(): boolean {
    return this.subscribers.size > 0;
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
    if (this.subscribers.size === 0) {
      this.held.push(value);
      this.heldSizes.push(bytes);
      this.heldTotal += bytes;
      return;
    }
    for (const subscriber of this.subscribers) subscriber.next(value);
  }

  /** Ends the stream for everyone (only the first ending counts); held messages still go first. */
  finish(ending: MessageEnding): void {
    if (this.ending !== null) return;
    this.ending = ending;
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) {
      if (ending === 'complete') subscriber.complete();
      else subscriber.error(ending.error);
    }
  }

  /** Gives the held messages, oldest first, to `subscriber` while it stays subscribed. */
  private replayHeld(subscriber: Subscriber<T>): void {
    while (this.held.length > 0 && !subscriber.closed) {
      const value = this.held.shift() as T;
      this.heldTotal -= this.heldSizes.shift() as number;
      subscriber.next(value);
    }
  }
}
