// A simulated sensor, run as its own process: a `reconnecting` client sending a reading every
// 50 ms (with jitter, and now and then a burst) as length-prefixed JSON to 127.0.0.1:PORT. While
// disconnected it keeps the 10 newest readings; older ones are reported on `unsent$`, and each
// reading carries how many that has been so far. On the IPC message 'malformed' it sends one
// malformed frame on a connection of its own (its readings go on). NAMES may list several sensors
// (`s1,s2`), each with its own client, for load runs with fewer processes.
// Usage: node --import tsx demos/dashboard/sensor.ts PORT NAMES [RATE] (the fleet runs it bundled)
import { Subscription } from 'rxjs';
import { connect, json, raw, reconnecting } from 'rxjs-socket';
import type { SensorReading } from './ingest-events';

const [portText = '', namesText = 'sensor', rateText = '20'] = process.argv.slice(2);
const port = Number(portText);
const period = 1000 / Number(rateText);
const names = namesText.split(',');
const timers = new Set<NodeJS.Timeout>();
const unsentBy = new Map<string, number>();

function sensor(name: string): Subscription {
  let value = 20 + Math.random() * 5;
  let unsent = 0;
  let seq = 0;
  return reconnecting<unknown, SensorReading>({
    host: '127.0.0.1',
    port,
    codec: json(),
    backoff: { initial: 50, max: 500 },
    maxBufferedMessages: 10,
    whenBufferFull: 'drop-oldest',
  }).subscribe((client) => {
    client.unsent$.subscribe(() => unsentBy.set(name, ++unsent));
    const send = (): void => {
      value += (Math.random() - 0.5) * 0.4;
      client.sink.next({ sensor: name, value, sentAt: Date.now(), unsent, seq: ++seq });
    };
    const next = (): void => {
      timers.delete(timer);
      send();
      if (Math.random() < 0.02) for (let i = 0; i < 10; i++) send();
      timer = setTimeout(next, period * (0.8 + Math.random() * 0.4));
      timers.add(timer);
    };
    let timer = setTimeout(next, Math.random() * period);
    timers.add(timer);
  });
}

const subscription = new Subscription();
for (const name of names) subscription.add(sensor(name));

/** A length-prefixed frame whose payload is not JSON: the server fails that connection with a DecodeError. */
function sendMalformed(): void {
  const bad = connect<Uint8Array, Uint8Array>({ host: '127.0.0.1', port, codec: raw() }).subscribe({
    next: (connection) => {
      connection.messages$.subscribe({ error: () => bad.unsubscribe(), complete: () => bad.unsubscribe() });
      connection.sink.next(new TextEncoder().encode(`{"sensor": "${names[0]}", oops`));
    },
    error: () => undefined,
  });
}

let stopped = false;
function stop(): void {
  if (stopped) return;
  stopped = true;
  for (const timer of timers) clearTimeout(timer);
  subscription.unsubscribe();
  process.removeAllListeners('message');
  if (process.connected) process.disconnect();
  for (const [name, unsent] of unsentBy) console.error(`${name}: ${unsent} unsent`);
}

process.on('message', (message) => {
  if (message === 'malformed') sendMalformed();
});
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
