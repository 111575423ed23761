// Options: defaults in one place, checks, and the daemon's command line.
import { availableParallelism, tmpdir } from 'node:os';
import { asyncScheduler } from 'rxjs';
import { InvalidOptionError } from 'rxjs-socket';
import { jsockdArgs, resolveJsockdOptions } from '../../../lib/protocols/jsockd/jsockd-options';

describe('resolveJsockdOptions', () => {
  it('applies the defaults', () => {
    expect(resolveJsockdOptions({ command: 'jsockd' })).toMatchObject({
      threads: availableParallelism(),
      module: undefined,
      maxRuntimeUs: undefined,
      maxIdleUs: undefined,
      expectVersions: ['0.1.5', '0.0.139'],
      startTimeout: 15_000,
      connectTimeout: 5_000,
      commandTimeout: undefined,
      closeTimeout: 5_000,
      tempDir: tmpdir(),
      logReplay: 100,
      maxMessageBytes: 16 * 1024 * 1024,
      scheduler: asyncScheduler,
    });
  });

  it('drops the expected version when the check is skipped, and merges env over process.env', () => {
    const resolved = resolveJsockdOptions({ command: 'jsockd', expectVersion: '0.1.5', skipVersionCheck: true, env: { JSOCKD_LOG_PREFIX: 'x' } });
    expect(resolved.expectVersions).toBeUndefined();
    expect(resolved.env).toMatchObject({ JSOCKD_LOG_PREFIX: 'x', PATH: process.env.PATH });
  });

  it('takes one expected version or a list of them', () => {
    expect(resolveJsockdOptions({ command: 'jsockd', expectVersion: '0.2.0' }).expectVersions).toEqual(['0.2.0']);
    expect(resolveJsockdOptions({ command: 'jsockd', expectVersion: ['0.2.0', '0.1.5'] }).expectVersions).toEqual(['0.2.0', '0.1.5']);
  });

  it.each([
    ['expectVersion', { expectVersion: [] }],
    ['expectVersion', { expectVersion: '' }],
    ['threads', { threads: 1.5 }],
    ['maxRuntimeUs', { maxRuntimeUs: 0 }],
    ['maxIdleUs', { maxIdleUs: -1 }],
    ['connectTimeout', { connectTimeout: 0 }],
    ['commandTimeout', { commandTimeout: Number.NaN }],
    ['closeTimeout', { closeTimeout: 2 ** 31 }],
    ['logReplay', { logReplay: -1 }],
    ['maxMessageBytes', { maxMessageBytes: 0 }],
    ['tempDir', { tempDir: `/${'d'.repeat(100)}` }],
  ])('throws InvalidOptionError for a bad %s', (option, bad) => {
    const error = (() => {
      try {
        resolveJsockdOptions({ command: 'jsockd', ...bad });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_INVALID_OPTION', option });
  });
});

describe('jsockdArgs', () => {
  it('builds -b 00 [-m] [-t] [-i] -s -- and the socket paths, in that order', () => {
    const paths = ['/t/0.sock', '/t/1.sock'];
    expect(jsockdArgs(resolveJsockdOptions({ command: 'jsockd' }), paths)).toEqual(['-b', '00', '-s', '--', ...paths]);
    const all = resolveJsockdOptions({ command: 'jsockd', module: 'm.qjsbc', maxRuntimeUs: 1_000_000, maxIdleUs: 0 });
    expect(jsockdArgs(all, paths)).toEqual(['-b', '00', '-m', 'm.qjsbc', '-t', '1000000', '-i', '0', '-s', '--', ...paths]);
  });
});
