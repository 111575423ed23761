import { Subject, type Observable } from 'rxjs';
import type { RxSocketError } from '../errors';

/**
 * What a connection does with a frame its codec cannot decode: `'close'` (the default) fails the
 * connection with the DecodeError; `'skip'` drops the frame and reads on; a {@link SkipBadFrames}
 * skips too, and counts and reports each one.
 */
export type BadFramePolicy = 'close' | 'skip' | SkipBadFrames;

/** The `'skip'` policy with a report: how many frames were skipped, and why. */
export interface SkipBadFrames {
  /** Always `'skip'`. */
  readonly policy: 'skip';
  /** Each skipped frame's error (a DecodeError; `cause` says why, `frameBytes` how big), as it is skipped. */
  readonly errors$: Observable<RxSocketError>;
  /** Frames skipped so far. */
  readonly skipped: number;
  /** Reports one skipped frame. Called by the connections that use this policy. */
  report(error: RxSocketError): void;
}

/**
 * A policy for `badFrames`: skip frames that fail to decode, instead of closing the connection,
 * and report each on `errors$`. One policy may serve a whole server: every connection that uses
 * it reports to it.
 *
 * @example
 * ```ts
 * const bad = skipBadFrames();
 * bad.errors$.subscribe((error) => console.warn('skipped a frame', error.cause));
 * listen({ port: 0, codec: json(), badFrames: bad });
 * ```
 */
export function skipBadFrames(): SkipBadFrames {
  const errors = new Subject<RxSocketError>();
  let skipped = 0;
  return {
    policy: 'skip',
    errors$: errors.asObservable(),
    get skipped() {
      return skipped;
    },
    report(error) {
      skipped++;
      errors.next(error);
    },
  };
}
