// What the NATS specs share: the server from scripts/nats-server.ts, `describe` or `describe.skip`
// by whether it is installed, the one line saying so, and a client that keeps reconnecting.
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { haveNatsServer, natsServerPath, startNatsServer, type NatsServer } from '../../scripts/nats-server';

export { startNatsServer, type NatsServer } from '../../scripts/nats-server';

/** Says once, from the spec that owns the message, that the NATS specs (or `what`) are skipped and why. */
export function sayNatsSkipped(what = 'spec/nats/*.spec.ts: SKIPPED (every NATS test)'): void {
  if (!haveNatsServer) {
    process.stderr.write(
      `${what}, no nats-server at ${natsServerPath} (apt-get install nats-server, or set NATS_SERVER)\n`,
    );
  }
}

/** `describe` when nats-server is installed, `describe.skip` otherwise. */
export const describeWithNats = haveNatsServer ? describe : describe.skip;

/** A client of the test server that keeps reconnecting (every 100 ms unless told) while the server is away. */
export function natsClient(server: NatsServer, options: NodeConnectionOptions = {}): Promise<NatsConnection> {
  return connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, ...options });
}

/** A NATS server and two clients of it (two nodes), started before the suite's tests and stopped after. */
export interface NatsNodes {
  readonly server: NatsServer;
  readonly a: NatsConnection;
  readonly b: NatsConnection;
}

/**
 * Starts a server and two clients in `beforeAll` and stops them in `afterAll`; the getter gives
 * them to the tests. `a` and `b` take their own connection options (`a` first).
 */
export function natsNodesForSuite(aOptions: NodeConnectionOptions = {}, bOptions: NodeConnectionOptions = {}): () => NatsNodes {
  let nodes: NatsNodes | undefined;
  beforeAll(async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([natsClient(server, aOptions), natsClient(server, bOptions)]);
    nodes = { server, a, b };
  }, 15_000);
  afterAll(async () => {
    if (nodes === undefined) return;
    await Promise.all([nodes.a.close(), nodes.b.close()]);
    await nodes.server.stop();
  }, 15_000);
  return () => {
    if (nodes === undefined) throw new Error('the NATS nodes are not started');
    return nodes;
  };
}
