// `jsocket-server` echoes every value it receives; `jsocket-client` sends values and prints replies.
import { firstValueFrom, Subscription } from 'rxjs';
import { jsocketClient, jsocketServer, type JsocketClient, type JsocketGeneration } from 'rxjs-socket';
import { demoArgs, portOf, printListening, runUntilStopped } from './demo-runtime';

function generationOf(value: string | undefined): JsocketGeneration {
  if (value === undefined || value === 'v1' || value === 'v2' || value === 'legacy') return value ?? 'v2';
  throw new Error(`--framing must be v1, v2 or legacy, got ${value}`);
}

/** `jsocket-server --framing v1|v2|legacy [--concurrent] [--port N]`. */
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
  }).subscribe({ error: stopped });
  return runUntilStopped(subscription, failed);
}

/** `jsocket-client --port N [--framing v1|v2|legacy] JSON...`: sends each value, prints each reply. */
export async function jsocketClientDemo(argv: string[]): Promise<number> {
  const { values, positionals } = demoArgs(argv, { framing: { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string' } });
  const client$ = jsocketClient({ port: portOf(values.port, 5489), generation: generationOf(values.framing), connectTries: 1 });
  let subscription: Subscription | undefined;
  const client = await new Promise<JsocketClient>((resolve, reject) => {
    subscription = client$.subscribe({ next: resolve, error: reject });
  });
  for (const text of positionals) {
    const reply = await client.request(JSON.parse(text) as unknown, Number(values.timeout ?? 5_000));
    console.log(JSON.stringify(reply));
  }
  subscription?.unsubscribe();
  await firstValueFrom(client.connection.closed$);
  return 0;
}
