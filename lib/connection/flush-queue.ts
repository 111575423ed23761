/** What the flush queue runs: a writer whose batch goes to its socket at the end of the tick. */
export interface Flushable {
  /** Hands over what the tick queued (called once per {@link flushAtEndOfTick}). */
  flushQueued(): void;
}

/** Writers waiting for the end of this tick, in the order they first wrote in it. */
const waiting: Flushable[] = [];
let scheduled = false;

/**
 * Flushes `writer` once this tick's code has run, with every other writer that wrote in it: one
 * microtask for all of them (a broadcast to 1,000 connections queues one, not 1,000), and no
 * closure per writer. A writer asks at most once per tick (it keeps its own flag).
 */
export function flushAtEndOfTick(writer: Flushable): void {
  waiting.push(writer);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(flushWaiting);
  }
}

function flushWaiting(): void {
  // A writer flushed here may make another write (a flushed$ handler sending more): it joins the
  // queue and is flushed in this same pass, still before the tick ends.
  let k = 0;
  try {
    for (; k < waiting.length; k++) (waiting[k] as Flushable).flushQueued();
  } finally {
    if (k < waiting.length) {
      // One threw: the writers after it still flush, in a microtask of their own.
      waiting.splice(0, k + 1);
      queueMicrotask(flushWaiting);
    } else {
      waiting.length = 0;
      scheduled = false;
    }
  }
}
