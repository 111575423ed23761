import type { ServerResponse } from 'node:http';
import { asyncScheduler, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import { QueueOverflowError } from '../errors';

/** Options of {@link serverSentEvents}. */
export interface ServerSentEventsOptions<T> {
  /** The `data` of each value. Default `JSON.stringify`; line breaks become several `data:` lines. */
  serialize?: (value: T) => string;
  /** The event name of each value (`event:`), or undefined for the default `message` event. */
  event?: (value: T) => string | undefined;
  /** The id of each value (`id:`, echoed by a reconnecting browser as `Last-Event-ID`). Default: none. */
  id?: (value: T) => string | undefined;
  /** Milliseconds a browser waits before reconnecting (`retry:`, sent once first). Default: the browser's. */
  retry?: number;
  /** Milliseconds between comment lines that keep proxies and the browser from timing out. Default 15,000; 0 for none. */
  heartbeat?: number;
  /**
   * Bytes kept in the response's buffer while the client reads slower than events come. Past it
   * the response ends (the browser reconnects, with `Last-Event-ID` if ids are
   * sent), and `onError` gets a QueueOverflowError. Default 1 MiB.
   */
  maxQueuedBytes?: number;
  /** Told why the stream ended early: the source's error, or QueueOverflowError. */
  onError?: (error: unknown) => void;
  /** Scheduler of the heartbeat. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** One value as an event-stream record. */
function record<T>(value: T, options: ServerSentEventsOptions<T>): string {
  const data = (options.serialize ?? JSON.stringify)(value) ?? '';
  const event = options.event?.(value);
  const id = options.id?.(value);
  let text = '';
  if (event !== undefined) text += `event: ${event.replace(/[\r\n]/g, ' ')}\n`;
  // An id with a line break or NUL would be ignored by browsers: it is left out.
  if (id !== undefined && !/[\r\n\0]/.test(id)) text += `id: ${id}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * Streams an Observable to an HTTP response as server-sent events (`text/event-stream`), for
 * dashboards that prefer `EventSource` to a WebSocket. Each value is one event (with an `event`
 * name and an `id` if you give functions for them); a `retry` hint goes first; a comment line
 * every `heartbeat` ms keeps the stream alive through proxies. When the client goes away the
 * source is unsubscribed; when the source completes or errors the response ends. While the
 * client reads slowly, events wait (up to `maxQueuedBytes`, then the response ends) instead of
 * growing memory without bound. Returns the subscription (unsubscribe to end the stream).
 *
 * @example
 * ```ts
 * createServer((request, response) => {
 *   if (request.url === '/events') serverSentEvents(response, readings$, { id: (r) => String(r.seq), retry: 2_000 });
 * });
 * ```
 */
export function serverSentEvents<T>(response: ServerResponse, source$: Observable<T>, options: ServerSentEventsOptions<T> = {}): Subscription {
  const maxQueued = options.maxQueuedBytes ?? 1024 * 1024;
  const heartbeat = options.heartbeat ?? 15_000;
  const scheduler = options.scheduler ?? asyncScheduler;
  const stream = new Subscription();
  let ended = false;

  const finish = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    stream.unsubscribe();
    if (error !== undefined) options.onError?.(error);
  };
  /** Writes unless what waits in the response's buffer (a slow client) would pass the bound. */
  const write = (text: string): void => {
    if (ended) return;
    const queued = response.writableLength + Buffer.byteLength(text);
    if (response.writableLength > 0 && queued > maxQueued) finish(new QueueOverflowError(queued, maxQueued));
    else response.write(text);
  };
  const onGone = (): void => finish();

  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  // A first line at once, so that EventSource opens before the first event.
  response.write(options.retry !== undefined ? `retry: ${Math.floor(options.retry)}\n\n` : ':\n\n');
  response.once('close', onGone);
  stream.add(() => {
    ended = true;
    response.removeListener('close', onGone);
    response.end();
  });
  if (heartbeat > 0) {
    stream.add(
      scheduler.schedule(function beat() {
        write(': heartbeat\n\n');
        this.schedule(undefined, heartbeat);
      }, heartbeat),
    );
  }
  stream.add(
    source$.subscribe({
      next: (value) => write(record(value, options)),
      error: (error: unknown) => finish(error),
      complete: () => finish(),
    }),
  );
  return stream;
}
