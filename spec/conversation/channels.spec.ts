// Issue 16, item 5: channels over one connection (multiplex) and rooms on the server.
import { firstValueFrom, map, mergeMap, Subject, take, tap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { acquire, connect, json, listening, multiplex, rooms, type Connection } from 'rxjs-socket';
import { testConnection } from 'rxjs-socket/testing';
import { eventually } from '../helpers/loopback';

interface Msg {
  readonly op: 'sub' | 'unsub' | 'pub';
  readonly topic: string;
  readonly text?: string;
}

const channel = (connection: Pick<Connection<Msg, Msg>, 'messages$' | 'sink'>, topic: string) =>
  multiplex(connection, {
    subscribe: (): Msg => ({ op: 'sub', topic }),
    unsubscribe: (): Msg => ({ op: 'unsub', topic }),
    filter: (m) => m.topic === topic,
  });

describe('multiplex', () => {
  it('sends subscribe on subscribe and unsubscribe on unsubscribe, and keeps each channel to its own messages', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const news = (text: string): Msg => ({ op: 'pub', topic: 'news', text });
      const sport = (text: string): Msg => ({ op: 'pub', topic: 'sport', text });
      const connection = testConnection<Msg>({
        codec: json<Msg>(),
        incoming$: cold('-a-b-c-d-', { a: news('n1'), b: sport('s1'), c: news('n2'), d: sport('s2') }),
      });
      expectObservable(channel(connection, 'news').pipe(take(2))).toBe('-a---(c|)', { a: news('n1'), c: news('n2') });
      expectObservable(channel(connection, 'sport'), '^------!').toBe('---b---', { b: sport('s1') });
      expectObservable(connection.outgoing$.pipe(map((m) => `${m.op}:${m.topic}`))).toBe('(ab)-c-d', {
        a: 'sub:news',
        b: 'sub:sport',
        c: 'unsub:news',
        d: 'unsub:sport',
      });
    });
  });

  it('ends with the connection, without sending unsubscribe to a connection that is gone', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const connection = testConnection<Msg>({ codec: json<Msg>(), allowHalfOpen: true, incoming$: cold('--|') });
      expectObservable(channel(connection, 'news')).toBe('--|');
      expectObservable(connection.outgoing$.pipe(map((m) => m.op))).toBe('a', { a: 'sub' });
    });
  });
});

describe('rooms', () => {
  it('routes subscriptions to rooms and broadcasts to a room over real sockets; a closed connection leaves by itself', async () => {
    const topics = rooms<string, Msg>();
    const codec = json<Msg>();
    const { value: server, release: stop } = await acquire(listening({ port: 0, codec }));
    server.connections$
      .pipe(
        mergeMap((c) =>
          c.messages$.pipe(
            tap((m) => {
              if (m.op === 'sub') topics.join(m.topic, c);
              else if (m.op === 'unsub') topics.leave(m.topic, c);
              else topics.broadcast(m.topic, m, c);
            }),
          ),
        ),
      )
      .subscribe({ error: () => undefined });
    const port = server.port;
    const alice = await acquire(connect({ port, codec }));
    const bob = await acquire(connect({ port, codec }));
    const heard = firstValueFrom(channel(bob.value, 'news').pipe(take(2), toArray()));
    const alicesNews = channel(alice.value, 'news').subscribe();
    expect(await eventually(() => topics.members('news').length === 2)).toBe(true);
    alice.value.sink.next({ op: 'pub', topic: 'news', text: 'one' });
    alice.value.sink.next({ op: 'pub', topic: 'sport', text: 'ignored' });
    alice.value.sink.next({ op: 'pub', topic: 'news', text: 'two' });
    expect((await heard).map((m) => m.text)).toEqual(['one', 'two']);
    alicesNews.unsubscribe();
    alice.release();
    await firstValueFrom(alice.value.closed$);
    expect(await eventually(() => topics.keys().length === 0)).toBe(true);
    expect(topics.members('news')).toEqual([]);
    bob.release();
    stop();
  }, 10_000);

  it('leaves every room when a member closes, and skips the sender on broadcast', () => {
    const topics = rooms<number, string>();
    const got: string[] = [];
    const member = (name: string) => ({ next: (m: string) => got.push(`${name}:${m}`), error: () => undefined, complete: () => undefined });
    const a = { sink: member('a') };
    const bClosed = new Subject<void>();
    const b = { sink: member('b'), closed$: bClosed };
    topics.join(1, a);
    topics.join(1, b);
    topics.join(2, b);
    expect(topics.broadcast(1, 'hi', a)).toBe(1);
    bClosed.next();
    expect(topics.broadcast(1, 'again')).toBe(1);
    expect(topics.keys()).toEqual([1]);
    expect(got).toEqual(['b:hi', 'a:again']);
  });
});
