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

/** The line a server demo prints on stderr for each client it drops: who, the error's code, and why. */
export function logDropped(remote: SocketAddress | undefined, error: unknown): void {
  const who = remote === undefined ? 'a client' : remote.family === 'unix' ? remote.path : `${remote.address}:${remote.port}`;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`dropped ${who}: ${typeof code === 'string' ? code : error instanceof Error ? error.name : 'ERROR'} ${message}`);
}

/** The `--timeout` option of every client demo, in milliseconds (default 10 s). */
export function timeoutOf(value: string | undefined, fallback = 10_000): number {
  const ms = Number(value ?? fallback);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`bad --timeout ${String(value)}`);
  return ms;
}

/**
 * Waits for `work` for at most `ms`: a client demo never hangs silently. Past the deadline it
 * fails with `timed out after <ms> ms <waitingFor()>`, so the message says what never came.
 */
export async function beforeTimeout<T>(work: Promise<T>, ms: number, waitingFor: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${waitingFor()}`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The port option every demo takes (0 = any free port). */
export function portOf(value: string | undefined, fallback = 0): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${String(value)}`);
  return port;
}
