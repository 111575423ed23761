/** AbortSignal plumbing shared by requests, connect, listen and acquire. Internal. */

/**
 * Calls `abort(signal.reason)` once `signal` aborts (at once if it already has) and returns the
 * function that stops listening. Without a signal, nothing happens.
 */
export function whenAborted(signal: AbortSignal | undefined, abort: (reason: unknown) => void): () => void {
  if (signal === undefined) return noop;
  if (signal.aborted) {
    abort(signal.reason);
    return noop;
  }
  const onAbort = (): void => abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function noop(): void {
  // Nothing to remove.
}
