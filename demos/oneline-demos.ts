// `oneline-server` answers cmd01, echo and multi; `oneline-client` sends lines and prints answers.
import { lastValueFrom, map, range, type Observable, type Subscription } from 'rxjs';
import { onelineClient, onelineServer, type OnelineClient, type OnelineLine } from 'rxjs-socket';
import { beforeTimeout, demoArgs, logDropped, portOf, printListening, runUntilStopped, timeoutOf } from './demo-runtime';

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

/** `oneline-server [--strict] [--port N]`: stops on `shutdown`, SIGINT or SIGTERM; logs each client it drops on stderr. */
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
  }).subscribe({
    next: ({ connection, error }) => {
      if (error !== undefined) logDropped(connection.remoteAddress, error);
    },
    complete: done,
    error: failed,
  });
  return runUntilStopped(subscription, stopped);
}

/**
 * `oneline-client --port N [--timeout MS] LINE...`: sends each line, then `disconnect`, and prints
 * every answer; fails with a clear message if the server has not answered and closed within the
 * timeout (10 s).
 */
export async function onelineClientDemo(argv: string[]): Promise<number> {
  const { values, positionals } = demoArgs(argv, { port: { type: 'string' }, timeout: { type: 'string' } });
  const port = portOf(values.port);
  const timeout = timeoutOf(values.timeout);
  let subscription: Subscription | undefined;
  let client: OnelineClient | undefined;
  let waitingFor = `for pong from 127.0.0.1:${port} (a server busy with another client answers later)`;
  const work = async (): Promise<void> => {
    client = await new Promise<OnelineClient>((resolve, reject) => {
      // A server that never answers must not hold the demo for long after its timeout.
      subscription = onelineClient({ port, closeTimeout: 1_000 }).subscribe({ next: resolve, error: reject });
    });
    const printed = lastValueFrom(client.lines$, { defaultValue: undefined });
    client.lines$.subscribe((line) => console.log(line));
    for (const line of positionals) client.send(line);
    // The server answers in order and closes after `disconnect`: every answer arrives before the end.
    client.send('disconnect');
    waitingFor = 'for the server to answer and close after disconnect';
    await printed;
  };
  try {
    await beforeTimeout(work(), timeout, () => waitingFor);
  } catch (error) {
    client?.connection.destroy();
    throw error;
  } finally {
    subscription?.unsubscribe();
  }
  return 0;
}
