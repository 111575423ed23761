import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finalize, NEVER, Observable, of, Subject, VirtualTimeScheduler } from 'rxjs';
import { QueueOverflowError, serverSentEvents, type ServerSentEventsOptions } from 'rxjs-socket';
import { eventually } from '../helpers/loopback';

interface Running {
  url: string;
  server: Server;
  response: () => Promise<IncomingMessage>;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server that streams `source$` with `options` to every GET. */
async function start<T>(source$: Observable<T>, options: ServerSentEventsOptions<T> = {}, onResponse?: (r: ServerResponse) => void): Promise<Running> {
  const server = createServer((_request, response) => {
    onResponse?.(response);
    serverSentEvents(response, source$, options);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const response = () => new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
  return { url, server, response };
}

/** Everything the response says until it ends. */
function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => resolve(text));
  });
}

describe('serverSentEvents', () => {
  it('writes the retry hint, then each value with its event name and id, and ends when the source completes', async () => {
    const values = [{ seq: 1, kind: 'reading', text: 'a' }, { seq: 2, kind: 'alarm', text: 'two\nlines' }];
    const { response } = await start(of(...values), {
      retry: 2500,
      id: (v) => String(v.seq),
      event: (v) => (v.kind === 'alarm' ? 'alarm' : undefined),
      serialize: (v) => v.text,
    });
    const res = await response();
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(await readAll(res)).toBe('retry: 2500\n\nid: 1\ndata: a\n\nevent: alarm\nid: 2\ndata: two\ndata: lines\n\n');
  });

  it('sends JSON by default and a comment line every heartbeat, on the scheduler', async () => {
    const scheduler = new VirtualTimeScheduler();
    const source = new Subject<{ n: number }>();
    const { response } = await start(source, { heartbeat: 1000, scheduler });
    const res = await response();
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    source.next({ n: 1 });
    scheduler.maxFrames = 2500;
    scheduler.flush();
    source.complete();
    await new Promise((resolve) => res.on('end', resolve));
    expect(text).toBe(':\n\ndata: {"n":1}\n\n: heartbeat\n\n: heartbeat\n\n');
  });

  it('unsubscribes from the source when the client goes away', async () => {
    let unsubscribed = false;
    const { response } = await start(NEVER.pipe(finalize(() => (unsubscribed = true))), { heartbeat: 0 });
    const res = await response();
    res.destroy();
    expect(await eventually(() => unsubscribed)).toBe(true);
  });

  it('ends the response with QueueOverflowError when a slow client lets more than maxQueuedBytes wait', async () => {
    const errors: unknown[] = [];
    let unsubscribed = false;
    const big = 'x'.repeat(64 * 1024);
    const flood = new Observable<string>((subscriber) => {
      let k = 0;
      const pump = (): void => {
        for (let i = 0; i < 64 && !subscriber.closed; i++) subscriber.next(`${k++}${big}`);
        if (!subscriber.closed) setImmediate(pump);
      };
      pump();
      return () => (unsubscribed = true);
    });
    const { response } = await start(flood, { maxQueuedBytes: 1024 * 1024, heartbeat: 0, onError: (e) => errors.push(e) });
    const res = await response();
    res.pause(); // the client reads nothing
    expect(await eventually(() => errors.length === 1)).toBe(true);
    expect(errors[0]).toBeInstanceOf(QueueOverflowError);
    expect(unsubscribed).toBe(true);
    res.destroy();
  });
});
