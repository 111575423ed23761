// The dashboard's aggregation, pure RxJS over ingest events: per-sensor rolling mean, min and max
// over 1 s and 10 s, readings per second, online/offline after 2 s of silence, bad input per
// second by error code. Time comes from the scheduler, so it is marble-tested in virtual time.
import { asyncScheduler, defer, filter, map, merge, scan, timer, type OperatorFunction, type SchedulerLike } from 'rxjs';

/** What the ingest server sees: a reading from a sensor, or a connection failed by bad input. */
export type IngestEvent =
  | { readonly kind: 'reading'; readonly sensor: string; readonly value: number; readonly unsent?: number; readonly seq?: number; readonly node?: string }
  | { readonly kind: 'bad-input'; readonly sensor?: string; readonly code: string };

/** Mean, min and max of the readings in a window; `count` 0 (and NaN figures) when empty. */
export interface WindowFigures {
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** One sensor as the page shows it. */
export interface SensorView {
  readonly sensor: string;
  readonly online: boolean;
  readonly last: number;
  readonly lastSeen: number;
  readonly window1s: WindowFigures;
  readonly window10s: WindowFigures;
  /** Readings the sensor's `unsent$` reported so far, as its latest reading says. */
  readonly unsent: number;
  /** Readings that never arrived, counted from the gaps in their `seq` (a sensor process that starts again starts at 1). */
  readonly missing: number;
  /** The ingest node the sensor's latest reading came in on (`--nodes` 2 or more). */
  readonly node?: string;
  /** The values of the last 10 s, oldest first: only with `history: true`. */
  readonly history?: readonly number[];
}

/** One frame of the dashboard. */
export interface DashboardView {
  readonly time: number;
  readonly sensors: readonly SensorView[];
  /** Readings in the last second, all sensors together. */
  readonly readingsPerSecond: number;
  /** Bad input in the last 10 s, per second, by error code. */
  readonly badInputPerSecond: Readonly<Record<string, number>>;
  /** Readings lost, all sensors together: the sum of what each one's `unsent$` reported. */
  readonly unsent: number;
  /** Readings that never arrived (gaps in `seq`), all sensors together. */
  readonly missing: number;
}

/** Options of {@link aggregate}. */
export interface AggregateOptions {
  /** Milliseconds between two views. Default 250. */
  tick?: number;
  /** Silence after which a sensor is offline. Default 2,000. */
  offlineAfter?: number;
  /** Put each sensor's values of the last 10 s in its view. Default false. */
  history?: boolean;
  scheduler?: SchedulerLike;
}

interface Sample {
  readonly time: number;
  readonly value: number;
}

interface SensorState {
  readonly samples: Sample[];
  unsent: number;
  seq: number;
  missing: number;
  node: string | undefined;
}

function figures(samples: readonly Sample[], since: number): WindowFigures {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const { time, value } of samples) {
    if (time <= since) continue;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return count === 0 ? { count, mean: NaN, min: NaN, max: NaN } : { count, mean: sum / count, min, max };
}

/**
 * Turns ingest events into dashboard views, one every `tick` ms (the first at once). State lives
 * per subscription.
 */
export function aggregate(options: AggregateOptions = {}): OperatorFunction<IngestEvent, DashboardView> {
  const tick = options.tick ?? 250;
  const offlineAfter = options.offlineAfter ?? 2000;
  const scheduler = options.scheduler ?? asyncScheduler;
  return (events$) =>
    defer(() => {
      const states = new Map<string, SensorState>();
      const bad: Array<{ time: number; code: string }> = [];
      const view = (now: number): DashboardView => {
        const sensors: SensorView[] = [];
        let recent = 0;
        let unsent = 0;
        let missing = 0;
        for (const [sensor, { samples: list, unsent: lost, missing: gaps, node }] of states) {
          while (list.length > 1 && (list[0] as Sample).time <= now - 10_000) list.shift();
          const last = list[list.length - 1] as Sample;
          const window1s = figures(list, now - 1000);
          recent += window1s.count;
          unsent += lost;
          missing += gaps;
          const online = now - last.time < offlineAfter;
          const view: SensorView = { sensor, online, last: last.value, lastSeen: last.time, window1s, window10s: figures(list, now - 10_000), unsent: lost, missing: gaps, ...(node === undefined ? {} : { node }) };
          sensors.push(options.history === true ? { ...view, history: list.filter((s) => s.time > now - 10_000).map((s) => s.value) } : view);
        }
        while (bad.length > 0 && (bad[0] as { time: number }).time <= now - 10_000) bad.shift();
        const badInputPerSecond: Record<string, number> = {};
        for (const { code } of bad) badInputPerSecond[code] = (badInputPerSecond[code] ?? 0) + 0.1;
        sensors.sort((a, b) => a.sensor.localeCompare(b.sensor, 'en', { numeric: true }));
        return { time: now, sensors, readingsPerSecond: recent, badInputPerSecond, unsent, missing };
      };
      return merge(events$, timer(0, tick, scheduler).pipe(map(() => null))).pipe(
        scan((_: DashboardView | null, event: IngestEvent | null) => {
          const now = scheduler.now();
          if (event === null) return view(now);
          if (event.kind === 'reading') {
            const state = states.get(event.sensor) ?? { samples: [], unsent: 0, seq: 0, missing: 0, node: undefined };
            state.samples.push({ time: now, value: event.value });
            state.unsent = event.unsent ?? state.unsent;
            state.node = event.node;
            if (event.seq !== undefined) {
              if (event.seq > state.seq) state.missing += event.seq - state.seq - 1;
              state.seq = event.seq;
            }
            states.set(event.sensor, state);
          } else {
            bad.push({ time: now, code: event.code });
          }
          return null;
        }, null),
        filter((v): v is DashboardView => v !== null),
      );
    });
}
