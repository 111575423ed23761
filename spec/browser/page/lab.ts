// The page of spec/browser/chromium.spec.ts: bundled with esbuild and run in Chromium. It drives
// rxjs-socket/browser, RxJS's own webSocket() and EventSource, and keeps what happens for the test.
import { firstValueFrom, take, toArray } from 'rxjs';
import { webSocket } from 'rxjs/webSocket';
import { connectWebSocket, json, reconnecting, type ClientStatus, type ReconnectingClient } from 'rxjs-socket/browser';

interface Msg {
  n: number;
}

/** The little of EventSource the page uses (the project compiles without the DOM library). */
interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string; lastEventId: string }) => void): void;
  close(): void;
}

const page = globalThis as unknown as {
  EventSource: new (url: string) => EventSourceLike;
  lab: unknown;
};

const states: ClientStatus[] = [];
const received: Msg[] = [];
let client: ReconnectingClient<Msg, Msg> | null = null;

const lab = {
  /** Opens a connection, sends three messages and resolves with the first four it gets. */
  echo(url: string): Promise<Msg[]> {
    return new Promise((resolve, reject) => {
      const subscription = connectWebSocket<Msg, Msg>(url, { codec: json() }).subscribe({
        next: (connection) => {
          connection.messages$.pipe(take(4), toArray()).subscribe({
            next: (messages) => {
              resolve(messages);
              subscription.unsubscribe();
            },
            error: (error: unknown) => reject(new Error(String(error))),
          });
          for (const n of [1, 2, 3]) connection.sink.next({ n });
        },
        error: (error: unknown) => reject(new Error(String(error))),
      });
    });
  },

  /** RxJS's own webSocket() subject against listenWebSocket, with JSON both ways. */
  async rxjsSubject(url: string): Promise<Msg[]> {
    const subject = webSocket<Msg>(url);
    const replies = firstValueFrom(subject.pipe(take(3), toArray()));
    subject.next({ n: 5 });
    subject.next({ n: 6 });
    const result = await replies;
    subject.complete();
    return result;
  },

  startReconnecting(url: string): void {
    reconnecting<Msg, Msg>({ url, codec: json(), backoff: { initial: 50, max: 200 } }).subscribe((c) => {
      client = c;
      c.state$.subscribe((s) => states.push(s.status));
      c.messages$.subscribe((m) => received.push(m));
    });
  },

  send(message: Msg): void {
    client?.sink.next(message);
  },

  status(): { states: ClientStatus[]; received: Msg[]; buffered: number } {
    return { states, received, buffered: client?.bufferedMessages ?? -1 };
  },

  /** Reads `count` 'reading' events through EventSource (which reconnects by itself), then closes it. */
  events(url: string, count: number): Promise<Array<{ id: string; data: unknown }>> {
    return new Promise((resolve) => {
      const got: Array<{ id: string; data: unknown }> = [];
      const source = new page.EventSource(url);
      source.addEventListener('reading', (event) => {
        got.push({ id: event.lastEventId, data: JSON.parse(event.data) });
        if (got.length === count) {
          source.close();
          resolve(got);
        }
      });
    });
  },
};

export type Lab = typeof lab;
page.lab = lab;
