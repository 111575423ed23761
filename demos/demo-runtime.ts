// What every demo shares: option parsing, the `listening on` line, and stopping on signals.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Subscription } from 'rxjs';
import type { SocketAddress } from 'rxjs-socket';

/** Parses a demo's argv with node:util's parseArgs (strict: unknown options are errors). */
export function demoArgs<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

/** Prints the first line every server demo prints. */
export function printListening(address: SocketAddress): void {
  console.log(address.family === 'unix' ? `listening on ${address.path}` : `listening on ${address.address}:${address.port}`);
}

/** Resolves when the server stops by itself or on SIGINT/SIGTERM (after unsubscribing). */
export function runUntilStopped(subscription: Subscription, stoppedByItself: Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      subscription.unsubscribe();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void stoppedByItself.then(stop, (error: unknown) => {
      console.error(error);
      stop();
      resolve(1);
    });
  });
}

/** The port option every demo takes (0 = any free port). */
export function portOf(value: string | undefined, fallback = 0): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${String(value)}`);
  return port;
}
