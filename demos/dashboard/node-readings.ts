// One ingest node of `dashboard --nodes N`: the readings it takes in are published on NATS
// (`dashboard.readings.<node>`, JSON, each marked with the node), and its aggregation reads every
// node's readings back from `dashboard.readings.>`, its own included, so the page of any node
// shows every sensor. Public API only: `toSubject` and `fromSubject` from rxjs-socket/nats.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { map, share, Subscription, type Observable } from 'rxjs';
import { json } from 'rxjs-socket';
import { fromSubject, toSubject } from 'rxjs-socket/nats';
import type { SensorReading } from './ingest-events';

/** A node's link to the others. */
export interface NodeReadings {
  /** Every node's readings, each with its `node`: one NATS subscription, shared. */
  readonly readings$: Observable<SensorReading>;
  /** Publishes the readings this node takes in, marked with the node, until `close()`. */
  publish(local$: Observable<SensorReading>): void;
  /** Stops publishing and closes the NATS connection. */
  close(): Promise<void>;
}

/** Connects to NATS at `url` (rejects if it cannot) as node `node`. */
export async function nodeReadings(url: string, node: string): Promise<NodeReadings> {
  const nc: NatsConnection = await connect({ servers: url, name: `dashboard node ${node}`, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const codec = json<SensorReading>();
  const out = toSubject(nc, `dashboard.readings.${node}`, { codec });
  const publishing = new Subscription();
  return {
    readings$: fromSubject(nc, 'dashboard.readings.>', { codec, badFrames: 'skip' }).pipe(share()),
    publish: (local$) => void publishing.add(local$.pipe(map((reading): SensorReading => ({ ...reading, node }))).subscribe(out)),
    async close() {
      publishing.unsubscribe();
      await nc.close();
    },
  };
}
