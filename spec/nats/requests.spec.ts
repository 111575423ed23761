// serveSubject and natsRequester against a real nats-server: replies, timeouts, no responders,
// failed handlers, and ConnectionLostError when the NATS connection drops or is down.
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';
import { json, utf8 } from 'rxjs-socket';
import { natsRequester, natsStatus, serveSubject } from 'rxjs-socket/nats';
import { describeWithNats, natsClient, startNatsServer, type NatsServer } from './nats-harness';

describeWithNats('serveSubject and natsRequester', () => {
  let server: NatsServer;
  let client: NatsConnection;
  let service: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    [client, service] = await Promise.all([natsClient(server, { reconnectTimeWait: 50 }), natsClient(server)]);
  }, 15_000);

  afterAll(async () => {
    await Promise.all([client?.close(), service?.close()]);
    await server?.stop();
  }, 15_000);

  it('answers a request with the reply of the handler, decoded', async () => {
    const serving = serveSubject(service, 'math.sum', (numbers: number[]) => numbers.reduce((a, b) => a + b, 0), { codec: { in: json<number[]>(), out: json<number>() } }).subscribe();
    await service.flush();
    const rpc = natsRequester<number[], number>(client, 'math.sum', { codec: { in: json<number>(), out: json<number[]>() }, timeout: 5_000 });
    expect(await lastValueFrom(rpc.request([1, 2, 3]).pipe(toArray()))).toEqual([6]);
    serving.unsubscribe();
  }, 10_000);

  it('fails with RequestTimeoutError when no reply comes in time, and emits the handler failure on the server', async () => {
    const failures: string[] = [];
    const serving = serveSubject(
      service,
      'broken',
      () => {
        throw new Error('boom');
      },
      { codec: utf8() },
    ).subscribe((error) => failures.push(error.code));
    await service.flush();
    const rpc = natsRequester<string, string>(client, 'broken', { codec: utf8(), timeout: 200 });
    await expect(firstValueFrom(rpc.request('x'))).rejects.toMatchObject({ code: 'RXSOCKET_ERR_REQUEST_TIMEOUT', timeout: 200 });
    expect(failures).toEqual(['RXSOCKET_ERR_HANDLER']);
    expect(rpc.pending).toBe(0);
    serving.unsubscribe();
  }, 10_000);

  it('fails pending requests with ConnectionLostError when the server goes away, and new ones at once while it is away', async () => {
    const serving = serveSubject(service, 'slow', () => new Promise<string>(() => undefined), { codec: utf8() }).subscribe();
    await service.flush();
    const rpc = natsRequester<string, string>(client, 'slow', { codec: utf8(), timeout: 10_000 });
    const pending = firstValueFrom(rpc.request('wait')).catch((error: unknown) => error);
    await service.flush();
    const disconnected = new Promise<void>((resolve) => {
      const watch = natsStatus(client).subscribe(({ status }) => {
        if (status === 'disconnected') {
          resolve();
          queueMicrotask(() => watch.unsubscribe());
        }
      });
    });
    await server.kill();
    expect(await pending).toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
    await disconnected;
    await expect(firstValueFrom(rpc.request('now?'))).rejects.toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
    const back = new Promise<void>((resolve) => {
      const watch = natsStatus(client).subscribe(({ status }) => {
        if (status === 'connected') {
          resolve();
          queueMicrotask(() => watch.unsubscribe());
        }
      });
    });
    await server.restart();
    await back;
    serving.unsubscribe();
  }, 20_000);
});
