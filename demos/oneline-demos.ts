// `oneline-server` answers cmd01, echo and multi; `oneline-client` sends lines and prints answers.
import { lastValueFrom, map, range, type Observable, type Subscription } from 'rxjs';
import { onelineClient, onelineServer, type OnelineClient, type OnelineLine } from 'rxjs-socket';
import { demoArgs, portOf, printListening, runUntilStopped } from './demo-runtime';

/**
 * Most lines one `multi <n>` asks for: 100. Without a cap, a 14-byte request (`multi 99999999`)
 * would make the server write without end; with it, one line in brings at most 100 out.
 */
export const MAX_MULTI_LINES = 100;

/** The demo's handler: `cmd01` -> `ack`; `echo <text>`; `multi <n>` -> n lines (n <= 100); invalid -> `invalid`; else nak. */
export function onelineDemoHandler({ text, invalid }: OnelineLine): string | Observable<string> {
  if (invalid) return 'invalid';
  if (text === 'cmd01') return 'ack';
  if (text.startsWith('echo ')) return text.slice(5);
  const multi = /^multi (\d+)$/.exec(text);
  if (multi) {
    const lines = Number(multi[1]);
    if (lines > MAX_MULTI_LINES) return `nak - multi takes at most ${MAX_MULTI_LINES}`;
    return range(1, lines).pipe(map((k) => `resp ${k}`));
  }
  return 'nak - unknown cmd';
}

/** `oneline-server [--strict] [--port N]`: stops on `shutdown`, SIGINT or SIGTERM. */
export function onelineServerDemo(argv: string[]): Promise<number> {
  const { values } = demoArgs(argv, { strict: { type: 'boolean' }, port: { type: 'string' } });
  let done: () => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const stopped = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
  const subscription: Subscription = onelineServer({
    port: portOf(values.port),
    decoding: values.strict === true ? 'strict' : 'compat',
    onListening: printListening,
    handler: onelineDemoHandler,
  }).subscribe({ complete: done, error: failed });
  return runUntilStopped(subscription, stopped);
}

/** `oneline-client --port N LINE...`: sends each line, then `disconnect`, and prints every answer. */
export async function onelineClientDemo(argv: string[]): Promise<number> {
  const { values, positionals } = demoArgs(argv, { port: { type: 'string' } });
  let subscription: Subscription | undefined;
  const client = await new Promise<OnelineClient>((resolve, reject) => {
    subscription = onelineClient({ port: portOf(values.port) }).subscribe({ next: resolve, error: reject });
  });
  const printed = lastValueFrom(client.lines$, { defaultValue: undefined });
  client.lines$.subscribe((line) => console.log(line));
  for (const line of positionals) client.send(line);
  // The server answers in order and closes after `disconnect`: every answer arrives before the end.
  client.send('disconnect');
  await printed;
  subscription?.unsubscribe();
  return 0;
}
