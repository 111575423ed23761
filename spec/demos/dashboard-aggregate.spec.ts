// The dashboard's aggregation in virtual time: windows, offline after 2 s, a malformed frame, a restart.
import { filter, map, mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { json, lengthPrefix } from 'rxjs-socket';
import { connectionReset, testConnection, testServer } from 'rxjs-socket/testing';
import { aggregate, type IngestEvent } from '../../demos/dashboard/aggregate';
import { ingestEvents } from '../../demos/dashboard/ingest-events';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('aggregate', () => {
  it('keeps rolling 1 s and 10 s windows per sensor', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const events$ = cold<IngestEvent>('a 499ms b 999ms c', {
        a: { kind: 'reading', sensor: 's1', value: 1 },
        b: { kind: 'reading', sensor: 's1', value: 3 },
        c: { kind: 'reading', sensor: 's1', value: 8 },
      });
      const s1$ = events$.pipe(
        aggregate({ tick: 1600, scheduler }),
        map((v) => v.sensors.map((s) => [s.window1s.count, s.window1s.mean, s.window10s.min, s.window10s.max, s.window10s.mean])),
      );
      // a at 0, b at 500, c at 1500. At 1600 only c is in the last second; all three in the last 10.
      expectObservable(s1$, '^ 2000ms !').toBe('a 1599ms b', { a: [[1, 1, 1, 1, 1]], b: [[1, 8, 1, 8, 4]] });
    });
  });

  it('shows a sensor offline after 2 s of silence and online again when it sends', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const events$ = cold<IngestEvent>('a 2999ms b', { a: { kind: 'reading', sensor: 's1', value: 1 }, b: { kind: 'reading', sensor: 's1', value: 2 } });
      const online$ = events$.pipe(aggregate({ tick: 1000, scheduler }), filter((v) => v.sensors.length > 0), map((v) => v.sensors[0]?.online));
      expectObservable(online$, '^ 4001ms !').toBe('t 999ms t 999ms f 999ms t 999ms t', { t: true, f: false }); // silent from 0 to 3000
    });
  });

  it('counts a malformed frame by its code while the other sensors go on, and survives a restart', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const framing = { framing: lengthPrefix(), codec: json<{ sensor: string; value: number }>(), scheduler };
      const good = testConnection({ ...framing, incoming$: cold('-a-a-a|', { a: { sensor: 'good', value: 1 } }) });
      const malformed = testConnection({ ...framing, incomingBytes$: cold('--x', { x: Uint8Array.of(0, 0, 0, 1, 0x7b) }) });
      // After a restart of the ingest server the sensor comes back on a new connection.
      const dropped = testConnection({ ...framing, incoming$: cold('-a-#', { a: { sensor: 'back', value: 2 } }, connectionReset()) });
      const back = testConnection({ ...framing, incoming$: cold('-a', { a: { sensor: 'back', value: 3 } }) });
      const view$ = testServer(cold('xyz 5ms w', { x: good, y: malformed, z: dropped, w: back })).pipe(
        mergeMap((connection) => ingestEvents(connection.messages$)),
        aggregate({ tick: 10, scheduler }),
        map((v) => ({ sensors: v.sensors.map((s) => `${s.sensor}:${s.last}`), bad: v.badInputPerSecond })),
      );
      expectObservable(view$, '^ 10ms !').toBe('a 9ms b', {
        a: { sensors: [], bad: {} },
        b: { sensors: ['back:3', 'good:1'], bad: { RXSOCKET_ERR_DECODE: 0.1, ECONNRESET: 0.1 } },
      });
    });
  });

  it('shows the loss each sensor reported (its latest count) and their total, after a restart', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const reading = (sensor: string, unsent: number): IngestEvent => ({ kind: 'reading', sensor, value: 1, unsent });
      // Before the restart nothing was lost; after it s1 reports 20, then 21, and s2 reports 18.
      const events$ = cold<IngestEvent>('ab 97ms cd 98ms e', { a: reading('s1', 0), b: reading('s2', 0), c: reading('s1', 20), d: reading('s2', 18), e: reading('s1', 21) });
      const loss$ = events$.pipe(
        aggregate({ tick: 100, scheduler }),
        map((v) => [v.unsent, ...v.sensors.map((s) => s.unsent)]),
      );
      expectObservable(loss$, '^ 250ms !').toBe('a 99ms b 99ms c', { a: [0, 0], b: [38, 20, 18], c: [39, 21, 18] });
    });
  });

  it('counts readings per second over the last second and keeps 10 s of values when asked', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const events$ = cold<IngestEvent>('a 499ms b 999ms c', {
        a: { kind: 'reading', sensor: 's1', value: 1 },
        b: { kind: 'reading', sensor: 's1', value: 2 },
        c: { kind: 'reading', sensor: 's2', value: 3 },
      });
      const view$ = events$.pipe(
        aggregate({ tick: 1200, history: true, scheduler }),
        map((v) => ({ rate: v.readingsPerSecond, history: v.sensors.map((s) => s.history) })),
      );
      // At 1200: a (0) and b (500) are in the last 10 s, only b in the last second. At 2400: c (1500) only.
      expectObservable(view$, '^ 2500ms !').toBe('a 1199ms b 1199ms c', {
        a: { rate: 1, history: [[1]] },
        b: { rate: 1, history: [[1, 2]] },
        c: { rate: 1, history: [[1, 2], [3]] },
      });
    });
  });

  it('counts the readings that never arrived from the gaps in their seq, starting over with a new process', () => {
    const scheduler = marbles();
    scheduler.run(({ cold, expectObservable }) => {
      const reading = (seq: number): IngestEvent => ({ kind: 'reading', sensor: 's1', value: 1, seq });
      // 1, 2, then 5 (3 and 4 lost), then a new process starts again at 1, then 3 (2 lost).
      const events$ = cold<IngestEvent>('ab 98ms c 99ms d 99ms e', { a: reading(1), b: reading(2), c: reading(5), d: reading(1), e: reading(3) });
      const missing$ = events$.pipe(
        aggregate({ tick: 100, scheduler }),
        map((v) => v.missing),
      );
      expectObservable(missing$, '^ 450ms !').toBe('a 99ms b 99ms c 99ms d 99ms e', { a: 0, b: 2, c: 2, d: 3, e: 3 });
    });
  });
});
