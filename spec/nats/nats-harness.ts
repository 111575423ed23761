// What the NATS specs share: the server from scripts/nats-server.ts, `describe` or `describe.skip`
// by whether it is installed, the one line saying so, and a client that keeps reconnecting.
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { haveNatsServer, natsServerPath, type NatsServer } from '../../scripts/nats-server';

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
