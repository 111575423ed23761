// Issue 16, item 12: a reconnecting client's state$ replays the current state and tells the
// delay to the next try.
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { reconnecting, type ClientState, type Connection } from 'rxjs-socket';

describe('reconnecting state$', () => {
  it('tells the delay to the next try with each disconnected state, and replays the current state', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      let state$: Observable<ClientState> | undefined;
      const held = reconnecting<string>({
        port: 1,
        scheduler,
        backoff: { initial: 100, factor: 3, jitter: 0 },
        connector: () => cold<Connection<string, string>>('#', undefined, refused),
      }).subscribe((client) => (state$ = client.state$));
      const steps = (state$ as Observable<ClientState>).pipe(map((s) => `${s.status}:${s.retryIn ?? '-'}`));
      // Subscribed after the first failure: the current state comes first, at once.
      expectObservable(steps).toBe('a 99ms (bc) 296ms (de) 46ms (f|)', {
        a: 'disconnected:100',
        b: 'connecting:-',
        c: 'disconnected:300',
        d: 'connecting:-',
        e: 'disconnected:900',
        f: 'closed:-',
      });
      scheduler.schedule(() => held.unsubscribe(), 450);
    });
  });
});
