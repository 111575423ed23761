// The slow viewer: a viewer in the dashboard's own process that asks for the heaviest feed (every
// reading, and each sensor's values of the last 10 s in every frame) and never reads its socket
// (it never subscribes to `messages$`, so the connection stays paused). The kernel's buffers fill,
// then the server's side of its connection queues bytes and stops being writable: real TCP
// backpressure, which the page shows in the viewers table while its own row stays unaffected.
import { Subscription } from 'rxjs';
import { json, type Enveloped } from 'rxjs-socket';
import { connectWebSocket } from 'rxjs-socket/websocket';
import type { Command } from './protocol';

/** Connects the slow viewer to `url`; unsubscribing closes it. */
export function slowViewer(url: string): Subscription {
  return connectWebSocket<unknown, Enveloped<Command>>(url, { codec: json(), heartbeat: false }).subscribe({
    next: (connection) => connection.sink.next({ id: 1, body: { op: 'hello', name: 'slow viewer (never reads)', readings: true, history: true } }),
    error: () => undefined,
  });
}
