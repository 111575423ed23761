// `packetsocket-server` broadcasts every packet to every client; `packetsocket-client` sends and prints.
import { firstValueFrom, take, toArray, type Subscription } from 'rxjs';
import { packetsocketClient, packetsocketServer, type Connection } from 'rxjs-socket';
import { demoArgs, portOf, printListening, runUntilStopped } from './demo-runtime';

/**
 * Bounds of the broadcasting demo: every packet goes to every client, so one packet in is at most
 * 32 packets out, each at most 64 KiB.
 */
export const DEMO_MAX_CLIENTS = 32;
export const DEMO_MAX_PACKET_BYTES = 64 * 1024;

/** `packetsocket-server [--greet TEXT] [--pace-ms N] [--port N]`: at most 32 clients and 64 KiB packets. */
export function packetsocketServerDemo(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, { greet: { type: 'string' }, 'pace-ms': { type: 'string' }, port: { type: 'string' } });
  let failed: (error: unknown) => void = () => undefined;
  const stopped = new Promise<void>((_, reject) => (failed = reject));
  const subscription: Subscription = packetsocketServer({
    port: portOf(values.port),
    greet: values.greet,
    gapMs: Number(values['pace-ms'] ?? 0),
    onListening: printListening,
    maxConnections: DEMO_MAX_CLIENTS,
    maxPacketBytes: DEMO_MAX_PACKET_BYTES,
  }).subscribe({
    next: (server) => server.packets$.subscribe(({ data }) => server.write(data)),
    error: failed,
  });
  return runUntilStopped(subscription, stopped);
}

/** `packetsocket-client --port N [--greeted] TEXT...`: sends each text as a packet, prints what comes back. */
export async function packetsocketClientDemo(argv: string[]): Promise<number> {
  const { values, positionals } = demoArgs(argv, { port: { type: 'string' }, greeted: { type: 'boolean' } });
  let subscription: Subscription | undefined;
  const connection = await new Promise<Connection<Uint8Array, Uint8Array>>((resolve, reject) => {
    subscription = packetsocketClient({ port: portOf(values.port) }).subscribe({ next: resolve, error: reject });
  });
  // The server broadcasts to the sender too: every packet sent comes back (after a greeting, if any).
  const expected = positionals.length + (values.greeted === true ? 1 : 0);
  const received = firstValueFrom(connection.messages$.pipe(take(expected), toArray()));
  for (const text of positionals) connection.sink.next(Buffer.from(text));
  for (const packet of await received) console.log(Buffer.from(packet).toString());
  subscription?.unsubscribe();
  return 0;
}
