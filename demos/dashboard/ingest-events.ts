// One sensor connection's messages as ingest events: each reading, and at the end the error that
// failed the connection (bad input, a reset), by its code.
import { catchError, map, of, type Observable } from 'rxjs';
import type { IngestEvent } from './aggregate';

/** A reading as a sensor sends it (length-prefixed JSON). */
export interface SensorReading {
  readonly sensor: string;
  readonly value: number;
  /** `Date.now()` at the sensor when sent, for the send-to-page latency. */
  readonly sentAt?: number;
  /** Readings this sensor's `unsent$` has reported so far (lost in a restart of the ingest server). */
  readonly unsent?: number;
  /** 1, 2, 3... per sensor process: a gap is a reading that never arrived. */
  readonly seq?: number;
  /** The ingest node that received it, added by that node before it publishes it on NATS (`--nodes`). */
  readonly node?: string;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** Readings as `reading` events; an error ends the stream with one `bad-input` event. */
export function ingestEvents(messages$: Observable<SensorReading>): Observable<IngestEvent> {
  return messages$.pipe(
    map((m): IngestEvent => ({ kind: 'reading', sensor: String(m.sensor), value: Number(m.value), unsent: Number(m.unsent ?? 0), seq: m.seq, node: m.node })),
    catchError((error: unknown) => of<IngestEvent>({ kind: 'bad-input', code: codeOf(error) })),
  );
}
