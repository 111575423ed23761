import { InvalidOptionError } from '../errors';

/** Delays between reconnection attempts. */
export interface BackoffOptions {
  /** Delay before the second attempt, in ms. Default 100. */
  initial?: number;
  /** Largest delay, in ms. Default 30,000. */
  max?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Random spread, 0 to 1: each delay is scaled by a factor in [1 - jitter, 1]. Default 0.2. */
  jitter?: number;
  /** Failed attempts in a row before giving up. Default unlimited. */
  maxAttempts?: number;
}

/** Resolved backoff: `delay(n)` is the wait after the n-th failed attempt in a row (n >= 1). */
export interface Backoff {
  readonly maxAttempts: number;
  delay(failures: number): number;
}

/**
 * Exponential backoff with jitter: `initial * factor^(n-1)`, capped at `max`, scaled down by up
 * to `jitter`. `random` is injectable for tests.
 */
export function backoff(options: BackoffOptions = {}, random: () => number = Math.random): Backoff {
  const initial = options.initial ?? 100;
  const max = options.max ?? Math.max(30_000, initial);
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const maxAttempts = options.maxAttempts ?? Infinity;
  if (!(initial >= 0)) throw new InvalidOptionError('backoff.initial', initial, 'a non-negative number of ms');
  if (!(max >= initial)) throw new InvalidOptionError('backoff.max', max, 'at least backoff.initial');
  if (!(factor >= 1)) throw new InvalidOptionError('backoff.factor', factor, 'at least 1');
  if (!(jitter >= 0 && jitter <= 1)) throw new InvalidOptionError('backoff.jitter', jitter, 'from 0 to 1');
  if (!(maxAttempts >= 1)) throw new InvalidOptionError('backoff.maxAttempts', maxAttempts, 'at least 1');
  return {
    maxAttempts,
    delay: (failures) => Math.min(max, initial * factor ** (failures - 1)) * (1 - jitter * random()),
  };
}
