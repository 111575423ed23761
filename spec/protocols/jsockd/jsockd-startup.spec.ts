// Starting the daemon: READY, the version check, and each way the start can fail.
import { firstValueFrom, forkJoin, toArray, VirtualTimeScheduler } from 'rxjs';
import { RxSocketError } from 'rxjs-socket';
import { JsockdProtocolError, JsockdStartTimeoutError, JsockdVersionError, jsockd, type JsockdOptions } from '../../../lib/protocols/jsockd';
import { alive, FAKE_JSOCKD, freshDir, leftIn, start, startFailure } from './fake-daemon';

describe('jsockd start-up', () => {
  it('emits the client once the daemon is READY and every socket is connected', async () => {
    const { client } = await start({ threads: 2 });
    expect(client.version).toBe('0.0.139');
    expect(client.socketPaths).toHaveLength(2);
    expect(client.socketPaths.every((path) => path.startsWith(client.socketDir))).toBe(true);
    expect(alive(client.pid)).toBe(true);
    expect(await firstValueFrom(client.run('() => JSockD.thread', null))).toBe(0);
  }, 10_000);

  it('passes the command line jsockd expects: -b 00, -m, -t, -i, -s -- and the socket paths', async () => {
    const dir = freshDir();
    const { client } = await start({ threads: 2, module: FAKE_JSOCKD, maxRuntimeUs: 500_000, maxIdleUs: 0, skipVersionCheck: true, tempDir: dir });
    const argv = await firstValueFrom(client.run<string[]>('() => process.argv.slice(2)', null));
    expect(argv).toEqual(['-b', '00', '-m', FAKE_JSOCKD, '-t', '500000', '-i', '0', '-s', '--', ...client.socketPaths]);
    expect(client.socketDir.startsWith(`${dir}/jsd-`)).toBe(true);
  }, 10_000);

  it('uses only the first n sockets when READY announces fewer threads than sockets', async () => {
    const { client } = await start({ threads: 3, fake: { FAKE_JSOCKD_THREADS: '2' } });
    expect(client.socketPaths).toEqual([`${client.socketDir}/0.sock`, `${client.socketDir}/1.sock`]);
    const threads = await firstValueFrom(forkJoin([0, 1, 2].map(() => client.run('() => JSockD.thread', null))));
    expect(threads).toEqual([0, 1, 0]);
  }, 10_000);

  it('accepts both released protocol versions by default: 0.1.5 and 0.0.139', async () => {
    expect((await start({ fake: { FAKE_JSOCKD_VERSION: '0.1.5' } })).client.version).toBe('0.1.5');
    expect((await start({ fake: { FAKE_JSOCKD_VERSION: '0.0.139' } })).client.version).toBe('0.0.139');
  }, 10_000);

  it('accepts the versions given with expectVersion, or any with skipVersionCheck', async () => {
    const fake = { FAKE_JSOCKD_VERSION: '0.2.0' };
    expect((await start({ fake, expectVersion: '0.2.0' })).client.version).toBe('0.2.0');
    expect((await start({ fake, expectVersion: ['0.1.5', '0.2.0'] })).client.version).toBe('0.2.0');
    expect((await start({ fake, skipVersionCheck: true })).client.version).toBe('0.2.0');
  }, 10_000);

  it('fails with JsockdVersionError naming the accepted versions, after stopping the daemon', async () => {
    const dir = freshDir();
    const error = await startFailure({ fake: { FAKE_JSOCKD_VERSION: '0.2.0' }, tempDir: dir });
    expect(error).toBeInstanceOf(JsockdVersionError);
    expect(error).toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_VERSION', expected: ['0.1.5', '0.0.139'], actual: '0.2.0' });
    expect((error as Error).message).toContain('daemon is 0.2.0, accepted versions are 0.1.5, 0.0.139');
    expect(leftIn(dir)).toEqual([]);
  }, 10_000);

  it('fails with the error spawn() throws at once, and removes the socket directory', async () => {
    const dir = freshDir();
    // A NUL byte in the environment makes spawn() throw synchronously (ERR_INVALID_ARG_VALUE).
    const error = await startFailure({ tempDir: dir, env: { BAD: 'a\u0000b' } });
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect(leftIn(dir)).toEqual([]);
  }, 10_000);

  it('fails with JsockdProtocolError when the READY line is malformed', async () => {
    const error = await startFailure({ fake: { FAKE_JSOCKD_MODE: 'malformed-ready' } });
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_PROTOCOL', reason: 'ready-malformed' });
    expect((error as Error).message).toContain('READY many 0.0.139');
  }, 10_000);

  it('fails with JsockdProtocolError when READY names more threads than sockets', async () => {
    // The fake opens the one socket it was given and announces 3 threads.
    const error = await startFailure({ threads: 1, fake: { FAKE_JSOCKD_THREADS: '3' } });
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_PROTOCOL', reason: 'ready-malformed' });
  }, 10_000);

  it('fails with JsockdProtocolError when stdout closes before READY, saying how the daemon ended', async () => {
    const dir = freshDir();
    const error = await startFailure({ fake: { FAKE_JSOCKD_MODE: 'exit-before-ready' }, tempDir: dir });
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_PROTOCOL', reason: 'ready-missing' });
    expect((error as Error).message).toContain('exit code 3');
    expect((error as Error).message).toContain('Error loading module');
    expect(leftIn(dir)).toEqual([]);
  }, 10_000);

  it('fails with JsockdStartTimeoutError when no READY comes within startTimeout (virtual time)', async () => {
    const scheduler = new VirtualTimeScheduler();
    const dir = freshDir();
    const failed = firstValueFrom(
      jsockd({ command: FAKE_JSOCKD, threads: 1, tempDir: dir, env: { FAKE_JSOCKD_MODE: 'no-ready' }, scheduler, startTimeout: 15_000 }),
    ).catch((error: unknown) => error);
    scheduler.flush();
    const error = await failed;
    expect(error).toBeInstanceOf(JsockdStartTimeoutError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_START_TIMEOUT', timeout: 15_000 });
    expect(leftIn(dir)).toEqual([]);
  }, 10_000);

  it('fails with JsockdStartTimeoutError after a short real startTimeout, and stops the daemon', async () => {
    const error = await startFailure({ fake: { FAKE_JSOCKD_MODE: 'no-ready' }, startTimeout: 150 });
    expect(error).toBeInstanceOf(JsockdStartTimeoutError);
  }, 10_000);

  it("passes Node's own spawn error through untouched", async () => {
    const dir = freshDir();
    const error = await startFailure({ command: `${dir}/no-such-jsockd`, tempDir: dir });
    expect(error).not.toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(leftIn(dir)).toEqual([]);
  }, 10_000);

  it("passes Node's own connect error through untouched, and stops the daemon", async () => {
    const dir = freshDir();
    const error = await startFailure({ fake: { FAKE_JSOCKD_MODE: 'ready-without-sockets' }, tempDir: dir });
    expect(error).not.toBeInstanceOf(RxSocketError);
    expect(error).toMatchObject({ code: 'ENOENT', syscall: 'connect' });
    expect(leftIn(dir)).toEqual([]);
  }, 10_000);

  it('replays the start-up logs on logs$, multi-line messages joined and stray lines as INFO', async () => {
    const { client } = await start();
    const logs = firstValueFrom(client.logs$.pipe(toArray()));
    client.close();
    const entries = await logs;
    expect(entries).toContainEqual({ timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) as unknown, level: 'WARN', message: 'This is not the real jsockd:\nit runs queries with new Function\nin one Node process' });
    expect(entries).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'a stray line without the log format' }));
    expect(entries).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Starting fake jsockd with 1 thread(s)' }));
  }, 10_000);

  it('throws InvalidOptionError at once for an option it cannot work with', () => {
    const thrown = (options: JsockdOptions): unknown => {
      try {
        jsockd(options);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(thrown({ command: FAKE_JSOCKD, threads: 0 })).toMatchObject({ code: 'RXSOCKET_ERR_INVALID_OPTION', option: 'threads' });
    expect(thrown({ command: FAKE_JSOCKD, tempDir: `/${'x'.repeat(120)}` })).toMatchObject({ option: 'tempDir' });
    expect(thrown({ command: '' })).toMatchObject({ option: 'command' });
    expect(thrown({ command: FAKE_JSOCKD, startTimeout: -1 })).toMatchObject({ option: 'startTimeout' });
  });
});
