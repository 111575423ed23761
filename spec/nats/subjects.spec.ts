// fromSubject and toSubject against a real nats-server: wildcards, codecs, typed decode errors,
// unsubscribing, the server's max_payload, and the status of the connection.
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { json, utf8 } from 'rxjs-socket';
import { fromSubject, natsRequester, natsStatus, toSubject, type UnsentMessage } from 'rxjs-socket/nats';
import { describeWithNats, natsClient, natsNodesForSuite, sayNatsSkipped } from './nats-harness';

sayNatsSkipped();

interface Reading {
  sensor: string;
  value: number;
}

describeWithNats('fromSubject and toSubject', () => {
  const nodes = natsNodesForSuite();

  it('delivers what toSubject publishes to a wildcard subscriber on another connection, decoded, in order', async () => {
    const { a, b } = nodes();
    const received = firstValueFrom(fromSubject(b, 'sensors.*', { codec: json<Reading>() }).pipe(take(100), toArray()));
    await b.flush();
    const out = toSubject(a, 'sensors.kitchen', { codec: json<Reading>() });
    for (let n = 0; n < 100; n++) out.next({ sensor: 'kitchen', value: n });
    expect((await received).map((r) => r.value)).toEqual(Array.from({ length: 100 }, (_, n) => n));
  }, 10_000);

  it('errors with a DecodeError on a payload the codec cannot decode, as a socket does', async () => {
    const { a, b } = nodes();
    const failed = lastValueFrom(fromSubject(b, 'bad.json', { codec: json() })).catch((error: unknown) => error);
    await b.flush();
    a.publish('bad.json', 'not json');
    expect(await failed).toMatchObject({ code: 'RXSOCKET_ERR_DECODE', frameBytes: 8 });
  }, 10_000);

  it('unsubscribes from NATS when its subscriber unsubscribes', async () => {
    const { a, b } = nodes();
    const rpc = natsRequester<string, string>(a, 'only.while.subscribed', { codec: utf8(), timeout: 5_000 });
    const subscription = fromSubject(b, 'only.while.subscribed', { codec: utf8() }).subscribe();
    await b.flush();
    subscription.unsubscribe();
    await b.flush();
    await expect(firstValueFrom(rpc.request('anyone?'))).rejects.toMatchObject({ code: 'RXSOCKET_ERR_NO_RESPONDERS', subject: 'only.while.subscribed' });
  }, 10_000);

  it("reports a message over the server's max_payload on unsent$ with a FrameTooLargeError, and goes on", async () => {
    const { a, b } = nodes();
    const max = a.info?.max_payload as number;
    const received = firstValueFrom(fromSubject(b, 'big', { codec: utf8() }));
    await b.flush();
    const out = toSubject(a, 'big', { codec: utf8() });
    const unsent: Array<UnsentMessage<string>> = [];
    out.unsent$.subscribe((u) => unsent.push(u));
    out.next('x'.repeat(max + 1));
    out.next('small');
    expect(await received).toBe('small');
    expect(unsent).toHaveLength(1);
    expect(unsent[0]?.error).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: max + 1, max });
  }, 10_000);

  it('shows the connection as connected, then closed, and completes', async () => {
    const { server } = nodes();
    const nc = await natsClient(server);
    const states = firstValueFrom(natsStatus(nc).pipe(toArray()));
    await nc.close();
    expect((await states).map((s) => s.status)).toEqual(['connected', 'closed']);
  }, 10_000);
});
