// `jsocket-server` echoes every value it receives; `jsocket-client` sends values and prints replies.
import { firstValueFrom, Subscription } from 'rxjs';
import { jsocketClient, jsocketServer, type JsocketClient, type JsocketGeneration } from 'rxjs-socket';
import { beforeTimeout, demoArgs, logDropped, portOf, printListening, runUntilStopped, timeoutOf } from './demo-runtime';

function generationOf(value: string | undefined): JsocketGeneration {
  if (value === undefined || value === 'v1' || value === 'v2' || value === 'legacy') return value ?? 'v2';
  throw new Error(`--framing must be v1, v2 or legacy, got ${value}`);
}

/** `jsocket-server --framing v1|v2|legacy [--concurrent] [--port N]`: logs each client it drops on stderr. */
export function jsocketServerDemo(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, { framing: { type: 'string' }, concurrent: { type: 'boolean' }, port: { type: 'string' } });
  let stopped: (error: unknown) => void = () => undefined;
  const failed = new Promise<void>((_, reject) => (stopped = reject));
  const subscription: Subscription = jsocketServer({
    port: portOf(values.port),
    generation: generationOf(values.framing),
    mode: values.concurrent === true ? 'concurrent' : 'single',
    onListening: printListening,
    handler: (message) => message, // echo; a null message gets no reply, as in jsocket
  }).subscribe({
    next: ({ connection, error }) => {
      if (error !== undefined) logDropped(connection.remoteAddress, error);
    },
    error: stopped,
  });
  return runUntilStopped(subscription, failed);
}

/**
 * `jsocket-client --port N [--framing v1|v2|legacy] [--timeout MS] JSON...`: sends each value,
 * prints each reply; fails with a clear message if the replies do not all come within the
 * timeout (10 s).
 */
export async function jsocketClientDemo(argv: string[]): Promise<number> {
  const { values, positionals } = demoArgs(argv, { framing: { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string' } });
  const port = portOf(values.port, 5489);
  const timeout = timeoutOf(values.timeout);
  const client$ = jsocketClient({ port, generation: generationOf(values.framing), connectTries: 1 });
  let subscription: Subscription | undefined;
  let client: JsocketClient | undefined;
  let waitingFor = `to connect to 127.0.0.1:${port}`;
  const work = async (): Promise<void> => {
    client = await new Promise<JsocketClient>((resolve, reject) => {
      subscription = client$.subscribe({ next: resolve, error: reject });
    });
    for (const text of positionals) {
      waitingFor = `for the reply to ${text}`;
      console.log(JSON.stringify(await client.request(JSON.parse(text) as unknown)));
    }
  };
  try {
    await beforeTimeout(work(), timeout, () => waitingFor);
  } catch (error) {
    client?.connection.destroy();
    throw error;
  } finally {
    subscription?.unsubscribe();
  }
  if (client !== undefined) await firstValueFrom(client.connection.closed$);
  return 0;
}
