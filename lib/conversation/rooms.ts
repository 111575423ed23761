import type { Observable, Observer } from 'rxjs';
import { broadcast as sendToAll } from '../connection/broadcast';

/** A member of a room: anything with a sink, and a `closed$` that makes it leave by itself. */
export interface RoomMember<Out> {
  /** Where broadcasts go. */
  readonly sink: Observer<Out>;
  /** When it emits, the member leaves every room. */
  readonly closed$?: Observable<unknown>;
}

/** Named groups of connections on a server, for broadcasting. */
export interface Rooms<Key, Out> {
  /** Adds `member` to room `key` (idempotent); it leaves every room by itself when it closes. */
  join(key: Key, member: RoomMember<Out>): void;
  /** Removes `member` from room `key` (idempotent); an empty room is forgotten. */
  leave(key: Key, member: RoomMember<Out>): void;
  /** Sends `message` to every member of room `key` (but `except`), encoded once (see `broadcast`); returns to how many. */
  broadcast(key: Key, message: Out, except?: RoomMember<Out>): number;
  /** The members of room `key`, right now. */
  members(key: Key): ReadonlyArray<RoomMember<Out>>;
  /** The rooms that have members. */
  keys(): Key[];
}

/**
 * The server side of channels: rooms keyed by any value (a topic, a channel id). Route each
 * connection's subscribe and unsubscribe messages to `join` and `leave`, and `broadcast` to a
 * room; a connection that closes leaves its rooms by itself. The client side is {@link multiplex}.
 *
 * @example
 * ```ts
 * const topics = rooms<string, Message>();
 * listen({ port, codec: json<Message>() }).pipe(mergeMap((c) => c.messages$.pipe(tap((m) => {
 *   if (m.op === 'sub') topics.join(m.topic, c);
 *   else if (m.op === 'unsub') topics.leave(m.topic, c);
 *   else topics.broadcast(m.topic, m, c);
 * })))).subscribe();
 * ```
 */
export function rooms<Key, Out>(): Rooms<Key, Out> {
  const byKey = new Map<Key, Set<RoomMember<Out>>>();
  /** The rooms of each member, and the subscription that makes it leave them when it closes. */
  const joined = new Map<RoomMember<Out>, { keys: Set<Key>; unwatch: () => void }>();

  const leave = (key: Key, member: RoomMember<Out>): void => {
    const room = byKey.get(key);
    if (room?.delete(member) === true && room.size === 0) byKey.delete(key);
    const entry = joined.get(member);
    if (entry === undefined) return;
    entry.keys.delete(key);
    if (entry.keys.size === 0) {
      joined.delete(member);
      entry.unwatch();
    }
  };

  const leaveAll = (member: RoomMember<Out>): void => {
    const entry = joined.get(member);
    if (entry !== undefined) for (const key of [...entry.keys]) leave(key, member);
  };

  return {
    join(key, member) {
      let room = byKey.get(key);
      if (room === undefined) byKey.set(key, (room = new Set()));
      room.add(member);
      const entry = joined.get(member);
      if (entry !== undefined) {
        entry.keys.add(key);
        return;
      }
      const fresh = { keys: new Set([key]), unwatch: () => undefined as void };
      joined.set(member, fresh);
      const watching = member.closed$?.subscribe(() => leaveAll(member));
      // closed$ may fire at once (a connection already closed): then it has left already.
      if (joined.get(member) === fresh) fresh.unwatch = () => watching?.unsubscribe();
      else watching?.unsubscribe();
    },
    leave,
    broadcast(key, message, except) {
      const recipients: RoomMember<Out>[] = [];
      for (const member of byKey.get(key) ?? []) if (member !== except) recipients.push(member);
      sendToAll(recipients, message);
      return recipients.length;
    },
    members: (key) => [...(byKey.get(key) ?? [])],
    keys: () => [...byKey.keys()],
  };
}
