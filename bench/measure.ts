/**
 * Timing helper and the result types shared by every benchmark suite.
 *
 * Cases are interleaved round by round (A B C, A B C, ...) so that drift on a busy machine (other
 * processes, thermal throttling, GC debt) spreads over all of them instead of biasing one.
 */

/** One piece of work to time. `run` must do the whole job (and may throw if its result is wrong). */
export interface TimedCase {
  readonly name: string;
  readonly run: () => void;
}

/** How many untimed and timed runs {@link measure} makes of each case. */
export interface MeasureOptions {
  /** Untimed runs of each case first, so the JIT has compiled the hot paths. Default 1. */
  readonly warmupRuns?: number;
  /** Timed runs of each case; the median is reported. Default 5. */
  readonly timedRuns?: number;
}

/** The timed runs of one case, in nanoseconds. */
export interface Timing {
  readonly name: string;
  readonly medianNs: number;
  readonly samplesNs: readonly number[];
}

/** One measured variant of a benchmark row: its median time and rate, and its rate over the baseline's. */
export interface VariantResult {
  readonly variant: string;
  readonly medianMs: number;
  /** Units of work (frames, messages, ...) per second at the median time. */
  readonly perSecond: number;
  /** (max - min) / median of the timed runs, in percent: how noisy the figure is. */
  readonly spreadPct: number;
  /** `perSecond` divided by the baseline variant's (1 for the baseline itself). */
  readonly vsBaseline: number;
}

/** One line of a suite's result table: a workload and the variants measured on it, baseline first. */
export interface BenchRow {
  readonly suite: string;
  readonly case: string;
  /** What `perSecond` counts, for example `frames`. */
  readonly unit: string;
  readonly variants: readonly VariantResult[];
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/**
 * Warms each case up, then times `timedRuns` interleaved rounds of all cases with
 * `process.hrtime.bigint()` and returns the median of each, in the order given.
 */
export function measure(cases: readonly TimedCase[], options: MeasureOptions = {}): Timing[] {
  const warmupRuns = options.warmupRuns ?? 1;
  const timedRuns = options.timedRuns ?? 5;
  if (!Number.isInteger(timedRuns) || timedRuns < 1) throw new Error(`timedRuns must be >= 1, got ${timedRuns}`);
  for (let w = 0; w < warmupRuns; w++) for (const c of cases) c.run();
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < timedRuns; r++) {
    cases.forEach((c, k) => {
      const start = process.hrtime.bigint();
      c.run();
      const elapsed = process.hrtime.bigint() - start;
      (samples[k] as number[]).push(Number(elapsed));
    });
  }
  return cases.map((c, k) => {
    const samplesNs = samples[k] as number[];
    return { name: c.name, medianNs: median(samplesNs), samplesNs };
  });
}

/**
 * Turns the timings of one workload into a {@link BenchRow}. The first timing is the baseline;
 * `units` is how much work each run did (for example the number of frames decoded).
 */
export function rowFromTimings(suite: string, caseName: string, unit: string, units: number, timings: readonly Timing[]): BenchRow {
  const baseline = timings[0];
  if (baseline === undefined) throw new Error(`${suite}/${caseName}: no timings`);
  const rate = (t: Timing): number => units / (t.medianNs / 1e9);
  const variants = timings.map((t) => ({
    variant: t.name,
    medianMs: t.medianNs / 1e6,
    perSecond: rate(t),
    spreadPct: ((Math.max(...t.samplesNs) - Math.min(...t.samplesNs)) / t.medianNs) * 100,
    vsBaseline: rate(t) / rate(baseline),
  }));
  return { suite, case: caseName, unit, variants };
}

/** One piece of asynchronous work to time; the promise settles when the whole job is done. */
export interface AsyncTimedCase {
  readonly name: string;
  /** Untimed preparation before each run (for example opening fresh sockets). */
  readonly setup?: () => Promise<void>;
  readonly run: () => Promise<void>;
  /** Untimed clean-up after each run, even a failed one. */
  readonly teardown?: () => Promise<void>;
}

/** Runs `c` once (setup and teardown untimed) and returns the nanoseconds its `run` took. */
async function timeOnce(c: AsyncTimedCase): Promise<number> {
  await c.setup?.();
  try {
    const start = process.hrtime.bigint();
    await c.run();
    return Number(process.hrtime.bigint() - start);
  } finally {
    await c.teardown?.();
  }
}

/**
 * {@link measure} for asynchronous work (sockets): warms each case up, then times `timedRuns`
 * interleaved rounds, one case at a time (never two concurrently), and returns each median.
 */
export async function measureAsync(cases: readonly AsyncTimedCase[], options: MeasureOptions = {}): Promise<Timing[]> {
  const warmupRuns = options.warmupRuns ?? 1;
  const timedRuns = options.timedRuns ?? 5;
  if (!Number.isInteger(timedRuns) || timedRuns < 1) throw new Error(`timedRuns must be >= 1, got ${timedRuns}`);
  for (let w = 0; w < warmupRuns; w++) for (const c of cases) await timeOnce(c);
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < timedRuns; r++) {
    for (let k = 0; k < cases.length; k++) (samples[k] as number[]).push(await timeOnce(cases[k] as AsyncTimedCase));
  }
  return cases.map((c, k) => {
    const samplesNs = samples[k] as number[];
    return { name: c.name, medianNs: median(samplesNs), samplesNs };
  });
}
