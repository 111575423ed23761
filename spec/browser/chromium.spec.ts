// rxjs-socket/browser in a real browser: Debian's Chromium driven by playwright-core (which never
// downloads a browser). A page served by the test talks to listenWebSocket both ways, with
// rxjs-socket/browser and with RxJS's own webSocket(), survives a server restart through
// reconnecting, and reads server-sent events through EventSource. Skipped, saying so once, when
// there is no Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { haveChromium, launchChromium } from './chromium-launch';
import { BehaviorSubject, concat, filter, finalize, firstValueFrom, from, NEVER, timeout, type Subscription } from 'rxjs';
import { json, serverSentEvents, type Connection } from 'rxjs-socket';
import { listenWebSocket } from 'rxjs-socket/websocket';
import type { Lab } from './page/lab';
import { startWebSocketServer, type WebSocketTestServer } from '../websocket/websocket-harness';
import { freePort } from '../helpers/loopback';


interface Msg {
  n: number;
}

const root = resolve(__dirname, '../..');
const WAIT = { timeout: 10_000 };

/** Runs `lab.<name>(...args)` in the page. */
function call<K extends keyof Lab>(page: Page, name: K, ...args: Parameters<Lab[K]>): Promise<Awaited<ReturnType<Lab[K]>>> {
  return page.evaluate(
    ([n, a]) => {
      const lab = (globalThis as unknown as { lab: Record<string, (...x: unknown[]) => unknown> }).lab;
      return lab[n]?.(...a);
    },
    [name, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<Lab[K]>>>;
}

(haveChromium('spec/browser/chromium.spec.ts') ? describe : describe.skip)('rxjs-socket/browser in Chromium', () => {
  let http: Server;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let live: Subscription;
  const eventRequests: Array<string | undefined> = [];
  /** Event streams whose source the server has unsubscribed from. */
  const eventsEnded = new BehaviorSubject(0);

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(__dirname, 'page/lab.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      alias: { 'rxjs-socket/browser': join(root, 'lib/browser/index.ts') },
    });
    const script = bundle.outputFiles[0]?.text ?? '';
    http = createServer((request: IncomingMessage, response) => {
      if (request.url === '/lab.js') {
        response.writeHead(200, { 'Content-Type': 'text/javascript' });
        response.end(script);
      } else if (request.url === '/events') {
        // Two events, then the stream ends; EventSource reconnects with Last-Event-ID and gets the next two.
        const last = request.headers['last-event-id'];
        eventRequests.push(typeof last === 'string' ? last : undefined);
        const first = last === undefined ? 1 : Number(last) + 1;
        const readings = [first, first + 1].map((seq) => ({ seq, celsius: 20 + seq }));
        const events$ = last === undefined ? from(readings) : concat(from(readings), NEVER);
        serverSentEvents(response, events$.pipe(finalize(() => eventsEnded.next(eventsEnded.value + 1))), {
          id: (r) => String(r.seq),
          event: () => 'reading',
          retry: 100,
        });
      } else {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<!doctype html><title>lab</title><script type="module" src="/lab.js"></script>');
      }
    });
    await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    // An echo at /live: n becomes 10 n; the page's own origin is allowed by default.
    live = listenWebSocket<Msg, Msg>({ server: http, path: '/live', codec: json<Msg>() }).subscribe((connection) => {
      connection.messages$.subscribe({ next: (m) => connection.sink.next({ n: m.n * 10 }), error: () => undefined });
      connection.sink.next({ n: 0 });
    });
    profile = mkdtempSync(join(tmpdir(), 'rxsocket-chromium-'));
    context = await launchChromium(profile);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'lab' in globalThis, undefined, WAIT);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    live?.unsubscribe();
    http?.closeAllConnections();
    http?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  it('exchanges JSON messages both ways with listenWebSocket', async () => {
    expect(await call(page, 'echo', `ws://127.0.0.1:${new URL(origin).port}/live`)).toEqual([{ n: 0 }, { n: 10 }, { n: 20 }, { n: 30 }]);
  }, 20_000);

  it("interoperates with RxJS's own webSocket() subject, JSON both ways", async () => {
    expect(await call(page, 'rxjsSubject', `ws://127.0.0.1:${new URL(origin).port}/live`)).toEqual([{ n: 0 }, { n: 50 }, { n: 60 }]);
  }, 20_000);

  it('survives a server restart through reconnecting, sending what it buffered meanwhile in order', async () => {
    const port = await freePort();
    const received: number[] = [];
    const start = async (): Promise<WebSocketTestServer<Msg, Msg>> => {
      const server = await startWebSocketServer<Msg, Msg>({ port, codec: json<Msg>(), origins: [origin] });
      server.connections$.subscribe((c: Connection<Msg, Msg>) => {
        c.messages$.subscribe({ next: (m) => received.push(m.n), error: () => undefined });
        c.sink.next({ n: 100 + received.length });
      });
      return server;
    };
    const first = await start();
    await call(page, 'startReconnecting', `ws://127.0.0.1:${port}`);
    await page.waitForFunction(() => (globalThis as unknown as { lab: Lab }).lab.status().states.includes('connected'), undefined, WAIT);
    await call(page, 'send', { n: 1 });
    await page.waitForFunction(() => (globalThis as unknown as { lab: Lab }).lab.status().received.length === 1, undefined, WAIT);
    first.stop();
    await page.waitForFunction(() => (globalThis as unknown as { lab: Lab }).lab.status().states.includes('disconnected'), undefined, WAIT);
    await call(page, 'send', { n: 2 });
    await call(page, 'send', { n: 3 });
    const second = await start();
    await page.waitForFunction(() => (globalThis as unknown as { lab: Lab }).lab.status().received.length === 2, undefined, WAIT);
    const status = await call(page, 'status');
    expect(status.received).toEqual([{ n: 100 }, { n: 101 }]);
    expect(status.buffered).toBe(0);
    expect(status.states.filter((s) => s === 'connected').length).toBe(2);
    expect(received).toEqual([1, 2, 3]);
    second.stop();
  }, 30_000);

  it('reads server-sent events with EventSource: ids, event names, reconnection with Last-Event-ID, teardown when it goes', async () => {
    const events = await call(page, 'events', `${origin}/events`, 4);
    expect(events).toEqual([1, 2, 3, 4].map((seq) => ({ id: String(seq), data: { seq, celsius: 20 + seq } })));
    expect(eventRequests).toEqual([undefined, '2']);
    // The page closed its EventSource: the server stops the second stream's source.
    await firstValueFrom(eventsEnded.pipe(filter((n) => n === 2), timeout(10_000)));
  }, 20_000);
});
