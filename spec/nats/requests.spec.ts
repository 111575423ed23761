// serveSubject and natsRequester against a real nats-server: replies, timeouts, no responders,
// failed handlers, and ConnectionLostError when the NATS connection drops or is down.
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { json, utf8 } from 'rxjs-socket';
import { natsRequester, natsStatus, serveSubject } from 'rxjs-socket/nats';
import { describeWithNats, natsNodesForSuite } from './nats-harness';

describeWithNats('serveSubject and natsRequester', () => {
  const nodes = natsNodesForSuite({ reconnectTimeWait: 50 });

  it('answers a request with the reply of the handler, decoded', async () => {
    const { a: client, b: service } = nodes();
    const serving = serveSubject(service, 'math.sum', (numbers: number[]) => numbers.reduce((a, b) => a + b, 0), { codec: { in: json<number[]>(), out: json<number>() } }).subscribe();
    await service.flush();
    const rpc = natsRequester<number[], number>(client, 'math.sum', { codec: { in: json<number>(), out: json<number[]>() }, timeout: 5_000 });
    expect(await lastValueFrom(rpc.request([1, 2, 3]).pipe(toArray()))).toEqual([6]);
    serving.unsubscribe();
  }, 10_000);

  it('fails with RequestTimeoutError when no reply comes in time, and emits the handler failure on the server', async () => {
    const { a: client, b: service } = nodes();
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
    const { a: client, b: service, server } = nodes();
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
