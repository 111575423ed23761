// Distribution of commands over the sockets: first idle socket, else round robin.
import { firstValueFrom, forkJoin, ReplaySubject } from 'rxjs';
import { start } from './fake-daemon';

const thread = '() => JSockD.thread';
/** Holds its socket until the question it asks is answered, then returns the socket's index. */
const held = '() => { JSockD.sendMessage("hold"); return JSockD.thread; }';

describe('command distribution', () => {
  it('runs commands in parallel on different sockets', async () => {
    const { client } = await start({ threads: 2 });
    const release = new ReplaySubject<string>(1);
    const first = firstValueFrom(client.run(held, null, { onMessage: () => release }));
    // The first socket is busy until `release`: this one must go to the second, and finish first.
    expect(await firstValueFrom(client.run(thread, null))).toBe(1);
    release.next('go');
    expect(await first).toBe(0);
  }, 10_000);

  it('sends each command to the first idle socket', async () => {
    const { client } = await start({ threads: 3 });
    const threads: unknown[] = [];
    for (let k = 0; k < 3; k++) threads.push(await firstValueFrom(client.run(thread, null)));
    expect(threads).toEqual([0, 0, 0]);
  }, 10_000);

  it('queues commands round robin when every socket is busy, one command at a time per socket', async () => {
    const { client } = await start({ threads: 2 });
    const runs = [0, 1, 2, 3, 4].map((k) => client.run<number>(`() => { globalThis.log = (globalThis.log ?? []).concat(${k}); return JSockD.thread; }`, null));
    expect(await firstValueFrom(forkJoin(runs))).toEqual([0, 1, 0, 1, 0]);
    // Each socket has its own thread and globals, as in jsockd: each log holds its socket's commands, in order.
    expect(await firstValueFrom(client.run<number[]>('() => globalThis.log', null))).toEqual([0, 2, 4]);
    const release = new ReplaySubject<string>(1);
    const holding = firstValueFrom(client.run(held, null, { onMessage: () => release }));
    expect(await firstValueFrom(client.run<number[]>('() => globalThis.log', null))).toEqual([1, 3]);
    release.next('go');
    await holding;
  }, 10_000);
});
