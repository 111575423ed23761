import type { Observable, Observer, Subscription } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Codec } from '../codec/codec';
import type { UnsentMessage } from '../conversation/reconnecting-client';
import { rooms, type RoomMember } from '../conversation/rooms';
import { fromSubject } from './from-subject';
import { subjectPublisher, type PublisherLimits } from './subject-publisher';

/** Options of {@link natsHub}. */
export interface NatsHubOptions<Key, T> extends PublisherLimits {
  /** Encodes what local connections send, once, before it is published. */
  codec: Codec<T>;
  /** The key (room, topic) of a message: it is published on `subject(key(message))`. */
  key: (message: T) => Key;
  /** The NATS subject of a key, for example `(room) => \`chat.${room}\``. */
  subject: (key: Key) => string;
}

/** Local connections of one node joined to the same keys on every node, through NATS. */
export interface NatsHub<Key, T> {
  /**
   * Publishes each message once, on its key's subject. Shared by every local connection
   * (`connection.messages$.subscribe(hub.sink)`): a connection that ends or fails ends nothing
   * here, so `complete` and `error` are ignored; `close()` stops the hub.
   */
  readonly sink: Observer<T>;
  /**
   * Adds a local member to key `key`: it gets every message published on that key by any node,
   * this one included, as the payload bytes (give the connection `codec: { in: ..., out: raw() }`).
   * The node subscribes to the key's subject when the key gets its first local member.
   */
  join(key: Key, member: RoomMember<Uint8Array>): void;
  /** Removes a local member from `key`; the node unsubscribes from a key with no local member left. */
  leave(key: Key, member: RoomMember<Uint8Array>): void;
  /** Keys this node is subscribed to. */
  keys(): Key[];
  /** Messages from local connections that may not have reached the NATS server, with the reason (see {@link toSubject}). */
  readonly unsent$: Observable<UnsentMessage<T>>;
  /** Unsubscribes from every key and stops the sink (what it still holds is reported on `unsent$`). */
  close(): void;
}

/**
 * Fan-out across nodes: what local connections send (to `sink`) is encoded once and published
 * once on its key's subject; what arrives on a key's subject is written, as the same bytes, to
 * every local member of that key (decoded and encoded by no node in between). A node's own
 * messages reach its local members through NATS like everyone else's, once: every node sees one
 * publisher's messages in the same order. Members that close leave by themselves; a key whose
 * last member left is unsubscribed at its next message, or at once by `leave`.
 *
 * @example
 * ```ts
 * const hub = natsHub(nc, { codec: json<Chat>(), key: (m) => m.room, subject: (room) => `chat.${room}` });
 * listen({ port: 0, codec: { in: json<Chat>(), out: raw() } }).subscribe((connection) => {
 *   hub.join('lobby', connection);
 *   connection.messages$.subscribe(hub.sink);
 * });
 * ```
 */
export function natsHub<Key, T>(nc: NatsConnection, options: NatsHubOptions<Key, T>): NatsHub<Key, T> {
  const { codec, key, subject, ...limits } = options;
  const local = rooms<Key, Uint8Array>();
  const subscribed = new Map<Key, Subscription>();
  const publisher = subjectPublisher<T>(nc, (message) => subject(key(message)), codec, limits);
  const sink: Observer<T> = { next: (message) => publisher.next(message), error: () => undefined, complete: () => undefined };

  const unsubscribe = (room: Key): void => {
    subscribed.get(room)?.unsubscribe();
    subscribed.delete(room);
  };

  return {
    sink,
    join(room, member) {
      local.join(room, member);
      if (subscribed.has(room)) return;
      const subscription = fromSubject(nc, subject(room)).subscribe({
        next: (payload) => {
          if (local.broadcast(room, payload) === 0) unsubscribe(room);
        },
        error: () => subscribed.delete(room),
        complete: () => subscribed.delete(room),
      });
      if (!subscription.closed) subscribed.set(room, subscription);
    },
    leave(room, member) {
      local.leave(room, member);
      if (local.members(room).length === 0) unsubscribe(room);
    },
    keys: () => [...subscribed.keys()],
    unsent$: publisher.unsent$,
    close() {
      for (const room of [...subscribed.keys()]) unsubscribe(room);
      publisher.error(new Error('hub closed'));
    },
  };
}
