import { types } from 'node:util';
import { firstValueFrom, lastValueFrom, mergeMap, tap, toArray, type Subscription } from 'rxjs';
import { json, lengthPrefix, RxSocketError } from 'rxjs-socket';
import { tlsFixture } from '../helpers/tls-fixture';
import { rejection, TransportHarness } from './transport-harness';

interface Message {
  readonly from: string;
  readonly n: number;
  readonly text?: string;
}

const { ca, key, cert } = tlsFixture();
const framing = lengthPrefix();
const codec = json<Message>();

describe('TLS transport', () => {
  let harness: TransportHarness;

  beforeEach(() => {
    harness = new TransportHarness();
  });

  afterEach(() => harness.teardown());

  /** A TLS server on 127.0.0.1 that answers every message with `{ from: 'server', n: n + 1 }`. */
  async function echoServer(): Promise<{ port: number; echo: Subscription }> {
    const server = await harness.listen<Message, Message>({ port: 0, tls: { key, cert }, framing, codec });
    const echo = server.connections$
      .pipe(mergeMap((connection) => connection.messages$.pipe(tap((m) => connection.sink.next({ from: 'server', n: m.n + 1 })))))
      .subscribe();
    return { port: server.port, echo };
  }

  it('carries json messages over lengthPrefix framing both ways', async () => {
    const server = await harness.listen<Message, Message>({ port: 0, tls: { key, cert }, framing, codec });
    const client = await harness.connect<Message, Message>({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca, servername: 'localhost' },
      framing,
      codec,
    });
    const accepted = await server.accepted(0);
    const atServer = firstValueFrom(accepted.messages$.pipe(toArray()));
    const atClient = lastValueFrom(client.messages$.pipe(toArray()));

    client.sink.next({ from: 'client', n: 1, text: 'héllo' });
    client.sink.next({ from: 'client', n: 2, text: 'x'.repeat(100_000) });
    client.sink.complete();
    accepted.sink.next({ from: 'server', n: 1 });
    accepted.sink.next({ from: 'server', n: 2, text: 'wörld' });
    accepted.sink.complete();

    expect(await atServer).toEqual([
      { from: 'client', n: 1, text: 'héllo' },
      { from: 'client', n: 2, text: 'x'.repeat(100_000) },
    ]);
    expect(await atClient).toEqual([
      { from: 'server', n: 1 },
      { from: 'server', n: 2, text: 'wörld' },
    ]);
    expect(await firstValueFrom(client.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
    expect(await firstValueFrom(accepted.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
  }, 10_000);

  // Known lib bug: listen() creates its TLS server without allowHalfOpen (lib/connection/listen.ts),
  // so Node ends the server's side as soon as the client's FIN arrives and the reply fails with EPIPE.
  it('replies after the client ends its side, with allowHalfOpen (server keeps its side open)', async () => {
    const server = await harness.listen<Message, Message>({ port: 0, tls: { key, cert }, framing, codec, allowHalfOpen: true });
    const client = await harness.connect<Message, Message>({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca, servername: 'localhost' },
      framing,
      codec,
      allowHalfOpen: true,
    });
    const accepted = await server.accepted(0);
    const atClient = lastValueFrom(client.messages$.pipe(toArray()));

    client.sink.next({ from: 'client', n: 1 });
    client.sink.next({ from: 'client', n: 2 });
    client.sink.complete();
    const requests = await lastValueFrom(accepted.messages$.pipe(toArray()));
    accepted.sink.next({ from: 'server', n: requests.length });
    accepted.sink.complete();

    expect(await firstValueFrom(accepted.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
    expect(await atClient).toEqual([{ from: 'server', n: 2 }]);
  }, 10_000);

  // Known lib bug: connect() calls tls.connect without allowHalfOpen (lib/connection/connect.ts),
  // so Node ends the client's side as soon as the server's FIN arrives and the reply fails with EPIPE.
  it('replies after the server ends its side, with allowHalfOpen (client keeps its side open)', async () => {
    const server = await harness.listen<Message, Message>({ port: 0, tls: { key, cert }, framing, codec, allowHalfOpen: true });
    const client = await harness.connect<Message, Message>({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca, servername: 'localhost' },
      framing,
      codec,
      allowHalfOpen: true,
    });
    const accepted = await server.accepted(0);
    const atServer = lastValueFrom(accepted.messages$.pipe(toArray()));

    accepted.sink.next({ from: 'server', n: 1 });
    accepted.sink.complete();
    const notices = await lastValueFrom(client.messages$.pipe(toArray()));
    client.sink.next({ from: 'client', n: notices.length });
    client.sink.complete();

    expect(await firstValueFrom(client.closed$)).toEqual({ error: undefined, unsentBytes: 0, unsentMessages: 0 });
    expect(await atServer).toEqual([{ from: 'client', n: 1 }]);
  }, 10_000);

  it('reports IPv4 addresses of both ends of a TLS connection', async () => {
    const server = await harness.listen<Message, Message>({ port: 0, tls: { key, cert }, framing, codec });
    const client = await harness.connect<Message, Message>({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca, servername: 'localhost' },
      framing,
      codec,
    });
    const accepted = await server.accepted(0);

    expect(server.address).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    expect(client.remoteAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: server.port });
    expect(client.localAddress).toEqual({ family: 'IPv4', address: '127.0.0.1', port: expect.any(Number) as number });
    expect(accepted.localAddress).toEqual(client.remoteAddress);
    expect(accepted.remoteAddress).toEqual(client.localAddress);
  }, 10_000);

  it('verifies the IP address against the certificate when no servername is given', async () => {
    const { port } = await echoServer();
    const client = await harness.connect<Message, Message>({ host: '127.0.0.1', port, tls: { ca }, framing, codec });
    const reply = firstValueFrom(client.messages$);
    client.sink.next({ from: 'client', n: 41 });
    expect(await reply).toEqual({ from: 'server', n: 42 });
  }, 10_000);

  it('rejects a certificate from an untrusted CA with Node’s own error, and keeps serving', async () => {
    const { port } = await echoServer();

    const error = await rejection(harness.connect<Message, Message>({ host: '127.0.0.1', port, tls: { servername: 'localhost' }, framing, codec }));

    // Node's errors come from outside Jest's realm: isNativeError, not instanceof Error.
    expect(types.isNativeError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });

    const good = await harness.connect<Message, Message>({ host: '127.0.0.1', port, tls: { ca, servername: 'localhost' }, framing, codec });
    const reply = firstValueFrom(good.messages$);
    good.sink.next({ from: 'client', n: 1 });
    expect(await reply).toEqual({ from: 'server', n: 2 });
  }, 10_000);

  it('rejects a certificate that does not name the requested host', async () => {
    const { port } = await echoServer();

    const error = await rejection(
      harness.connect<Message, Message>({ host: '127.0.0.1', port, tls: { ca, servername: 'not-localhost.test' }, framing, codec }),
    );

    expect(types.isNativeError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  }, 10_000);
});
