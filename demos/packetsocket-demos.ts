// `packetsocket-server` broadcasts every packet to every client; `packetsocket-client` sends and prints.
import { firstValueFrom, take, tap, toArray, type Subscription } from 'rxjs';
import { packetsocketClient, packetsocketServer, type Connection } from 'rxjs-socket';
import { beforeTimeout, demoArgs, logDropped, portOf, printListening, runUntilStopped, timeoutOf } from './demo-runtime';

/**
 * Bounds of the broadcasting demo: every packet goes to every client, so one packet in is at most
 * 32 packets out, each at most 64 KiB.
 */
export const DEMO_MAX_CLIENTS = 32;
export const DEMO_MAX_PACKET_BYTES = 64 * 1024;

/** `packetsocket-server [--greet TEXT] [--no-pacing] [--port N]`: at most 32 clients and 64 KiB packets; logs each client it drops on stderr. */
export function packetsocketServerDemo(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, { greet: { type: 'string' }, 'no-pacing': { type: 'boolean' }, port: { type: 'string' } });
  let failed: (error: unknown) => void = () => undefined;
  const stopped = new Promise<void>((_, reject) => (failed = reject));
  const subscription: Subscription = packetsocketServer({
    port: portOf(values.port),
    greet: values.greet,
    pacing: values['no-pacing'] === true ? false : undefined,
    onListening: printListening,
    maxConnections: DEMO_MAX_CLIENTS,
    maxPacketBytes: DEMO_MAX_PACKET_BYTES,
  }).subscribe({
    next: (server) => {
      server.packets$.subscribe(({ data }) => server.write(data));
      server.clients$.subscribe(({ connection }) =>
        connection.closed$.subscribe(({ error }) => {
          if (error !== undefined) logDropped(connection.remoteAddress, error);
        }),
      );
    },
    error: failed,
  });
  return runUntilStopped(subscription, stopped);
}

/**
 * `packetsocket-client --port N [--greeted] [--no-pacing] [--timeout MS] TEXT...`: sends each
 * text as a packet, prints what comes back (every packet, as the server broadcasts to the sender
 * too), and fails with a clear message if not everything came back within the timeout (10 s).
 */
export async function packetsocketClientDemo(argv: string[]): Promise<number> {
  const { values, positionals } = demoArgs(argv, {
    port: { type: 'string' },
    greeted: { type: 'boolean' },
    'no-pacing': { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const port = portOf(values.port);
  const timeout = timeoutOf(values.timeout);
  const expected = positionals.length + (values.greeted === true ? 1 : 0);
  let subscription: Subscription | undefined;
  let connection: Connection<Uint8Array, Uint8Array> | undefined;
  let got = 0;
  let waitingFor = `to connect to 127.0.0.1:${port}`;
  const work = async (): Promise<Uint8Array[]> => {
    connection = await new Promise<Connection<Uint8Array, Uint8Array>>((resolve, reject) => {
      subscription = packetsocketClient({ port, pacing: values['no-pacing'] === true ? false : undefined }).subscribe({ next: resolve, error: reject });
    });
    waitingFor = 'for the packets to come back';
    const received = firstValueFrom(
      connection.messages$.pipe(
        tap(() => got++),
        take(expected),
        toArray(),
      ),
      { defaultValue: [] },
    );
    for (const text of positionals) connection.sink.next(Buffer.from(text));
    return received;
  };
  try {
    const packets = await beforeTimeout(work(), timeout, () =>
      connection === undefined ? waitingFor : `${waitingFor}: got ${got} of ${expected} (a server that takes each read for one packet loses packets that arrive together)`,
    );
    for (const packet of packets) console.log(Buffer.from(packet).toString());
    if (packets.length < expected) throw new Error(`the server closed the connection after ${packets.length} of ${expected} packets`);
    return 0;
  } finally {
    if (got < expected) connection?.destroy();
    subscription?.unsubscribe();
  }
}
