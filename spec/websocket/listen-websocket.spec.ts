import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { json, utf8, WebSocketRefusedError, type Connection } from 'rxjs-socket';
import { connectWebSocket, listenWebSocket } from 'rxjs-socket/websocket';
import { afterTest, open, startWebSocketServer } from './websocket-harness';

const refusal = async (url: string, options: Parameters<typeof connectWebSocket>[1] = {}): Promise<unknown> =>
  lastValueFrom(connectWebSocket(url, options)).then(
    () => 'connected',
    (error: unknown) => error,
  );

describe('listenWebSocket', () => {
  it('accepts programs without Origin and pages of its own origin, and refuses other pages with 403', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const [, close] = await open(connectWebSocket(server.url, { codec: utf8() }));
    close();
    const [, closeSame] = await open(connectWebSocket(server.url, { codec: utf8(), origin: `http://127.0.0.1:${server.port}` }));
    closeSame();
    const error = await refusal(server.url, { origin: 'https://evil.example' });
    expect(error).toBeInstanceOf(WebSocketRefusedError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_WEBSOCKET_REFUSED', status: 403 });
  });

  it('takes a list of origins', async () => {
    const server = await startWebSocketServer({ codec: utf8(), origins: ['https://dash.example'] });
    const [, close] = await open(connectWebSocket(server.url, { origin: 'https://dash.example' }));
    close();
    expect(await refusal(server.url, { origin: 'https://other.example' })).toMatchObject({ status: 403 });
    expect(await refusal(server.url)).toMatchObject({ status: 403 });
  });

  it('lets authorize(request) accept, or refuse with 401 or a status of its choice, also asynchronously', async () => {
    const server = await startWebSocketServer({
      codec: utf8(),
      authorize: (request) => {
        const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
        if (token === 'good') return Promise.resolve(true);
        if (token === 'slow-down') return 429;
        if (token === 'throw') throw new Error('bug');
        return false;
      },
    });
    const [connection, close] = await open(connectWebSocket(`${server.url}/?token=good`, { codec: utf8() }));
    const accepted = await server.accepted(0);
    const got = firstValueFrom(accepted.messages$);
    connection.sink.next('hello');
    expect(await got).toBe('hello');
    close();
    expect(await refusal(`${server.url}/?token=bad`)).toMatchObject({ status: 401 });
    expect(await refusal(`${server.url}/?token=slow-down`)).toMatchObject({ status: 429 });
    expect(await refusal(`${server.url}/?token=throw`)).toMatchObject({ status: 500 });
  });

  it('attaches to an existing http.Server at a path: one port serves a page and its live data', async () => {
    const http: Server = createServer((_request, response) => response.end('<h1>dashboard</h1>'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    afterTest(() => http.close());
    const { port } = http.address() as AddressInfo;
    const accepted: Array<Connection<number, number>> = [];
    const subscription = listenWebSocket<number, number>({ server: http, path: '/live', codec: json<number>() }).subscribe((c) => {
      accepted.push(c);
      c.sink.next(42);
    });
    afterTest(() => subscription.unsubscribe());
    const page = await new Promise<string>((resolve, reject) =>
      get(`http://127.0.0.1:${port}/`, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      }).on('error', reject),
    );
    expect(page).toBe('<h1>dashboard</h1>');
    const [client, close] = await open(connectWebSocket<number, number>(`ws://127.0.0.1:${port}/live?x=1`, { codec: json<number>() }));
    expect(await firstValueFrom(client.messages$)).toBe(42);
    close();
    // Unsubscribing closes the connections but leaves the server it was given.
    subscription.unsubscribe();
    expect(http.listening).toBe(true);
  });

  it('answers 404 to upgrades at another path of its own port, and 426 to plain HTTP requests', async () => {
    const server = await startWebSocketServer({ codec: utf8(), path: '/live' });
    const [, close] = await open(connectWebSocket(`${server.url}/live?since=3`));
    close();
    expect(await refusal(`${server.url}/other`)).toMatchObject({ status: 404 });
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(`http://127.0.0.1:${server.port}/live`, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject),
    );
    expect(status).toBe(426);
  });

  it('closes every connection with code 1000 when unsubscribed', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const [first] = await open(connectWebSocket(server.url, { codec: utf8() }));
    const [second] = await open(connectWebSocket(server.url, { codec: utf8() }));
    await server.accepted(1);
    const closed = Promise.all([firstValueFrom(first.closed$), firstValueFrom(second.closed$)]);
    first.messages$.subscribe({ error: () => undefined });
    second.messages$.subscribe({ error: () => undefined });
    server.stop();
    expect((await closed).map((info) => [info.code, info.error])).toEqual([
      [1000, undefined],
      [1000, undefined],
    ]);
  });

  it('emits each connection paused until messages$ is subscribed: nothing is lost', async () => {
    const server = await startWebSocketServer({ codec: utf8() });
    const [client] = await open(connectWebSocket(server.url, { codec: utf8() }));
    for (let k = 0; k < 100; k++) client.sink.next(`m${k}`);
    await firstValueFrom(client.flushed$);
    const accepted = await server.accepted(0);
    expect(await firstValueFrom(accepted.messages$.pipe(take(100), toArray()))).toEqual(Array.from({ length: 100 }, (_, k) => `m${k}`));
  });
});
