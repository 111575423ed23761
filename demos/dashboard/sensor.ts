// One simulated sensor, run as its own process: a `reconnecting` client sending a reading every
// 50 ms (with jitter, and now and then a burst) as length-prefixed JSON to 127.0.0.1:PORT.
// Usage: node --import tsx demos/dashboard/sensor.ts PORT NAME
import { json, reconnecting } from 'rxjs-socket';
import type { SensorReading } from './ingest-events';

const [portText = '', sensor = 'sensor'] = process.argv.slice(2);
let value = 20 + Math.random() * 5;
let unsent = 0;
const subscription = reconnecting<unknown, SensorReading>({
  host: '127.0.0.1',
  port: Number(portText),
  codec: json(),
  backoff: { initial: 50, max: 500 },
}).subscribe((client) => {
  client.unsent$.subscribe(() => unsent++);
  const send = (): void => {
    value += (Math.random() - 0.5) * 0.4;
    client.sink.next({ sensor, value, sentAt: Date.now() });
  };
  const next = (): void => {
    send();
    if (Math.random() < 0.02) for (let i = 0; i < 10; i++) send();
    timer = setTimeout(next, 40 + Math.random() * 20);
  };
  let timer = setTimeout(next, Math.random() * 50);
  const stop = (): void => {
    clearTimeout(timer);
    subscription.unsubscribe();
    if (unsent > 0) console.error(`${sensor}: ${unsent} unsent`);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
});
