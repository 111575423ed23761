// The jsockd-run demo against the stand-in daemon.
import { jsockdRun } from '../../../demos/jsockd-run';
import { FAKE_JSOCKD } from './fake-daemon';

let out: jest.SpyInstance;
let err: jest.SpyInstance;

beforeEach(() => {
  out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  out.mockRestore();
  err.mockRestore();
  delete process.env.FAKE_JSOCKD_VERSION;
});

function printed(spy: jest.SpyInstance): string {
  return spy.mock.calls.map((args: unknown[]) => args.join(' ')).join('\n');
}

describe('jsockd-run', () => {
  it('prints the result as JSON on one line and returns 0', async () => {
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '(m, p) => ({ doubled: p.n * 2, text: "a\\nb" })', '{"n": 21}'])).toBe(0);
    expect(out.mock.calls).toEqual([['{"doubled":42,"text":"a\\nb"}']]);
  }, 10_000);

  it('answers every question m with {"echo": m}, on several threads', async () => {
    const query = '(m, p) => [JSockD.sendMessage(p), JSockD.sendMessage({ b: 2 })]';
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '--threads', '2', query, '"a"'])).toBe(0);
    expect(out.mock.calls).toEqual([['[{"echo":"a"},{"echo":{"b":2}}]']]);
  }, 10_000);

  it('prints a JavaScript exception and returns 1', async () => {
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '() => { throw new TypeError("bad") }', 'null'])).toBe(1);
    expect(out).not.toHaveBeenCalled();
    expect(printed(err)).toMatch(/^JavaScript exception: \{.*"errorMessage":"TypeError: bad"/);
  }, 10_000);

  it('checks the version: 0.1.5 or 0.0.139 by default, each --expect-version, or none with --skip-version-check', async () => {
    process.env.FAKE_JSOCKD_VERSION = '0.2.0';
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '() => 1', 'null'])).toBe(1);
    expect(printed(err)).toContain('daemon is 0.2.0, accepted versions are 0.1.5, 0.0.139');
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '--expect-version', '0.1.5', '--expect-version', '0.2.0', '() => 2', 'null'])).toBe(0);
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '--skip-version-check', '() => 3', 'null'])).toBe(0);
    process.env.FAKE_JSOCKD_VERSION = '0.1.5';
    expect(await jsockdRun(['--jsockd', FAKE_JSOCKD, '() => 4', 'null'])).toBe(0);
    expect(out.mock.calls).toEqual([['2'], ['3'], ['4']]);
  }, 15_000);

  it('finds the daemon through $JSOCKD without --jsockd', async () => {
    const saved = process.env.JSOCKD;
    process.env.JSOCKD = FAKE_JSOCKD;
    try {
      expect(await jsockdRun(['() => 5', 'null'])).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.JSOCKD;
      else process.env.JSOCKD = saved;
    }
    expect(out.mock.calls).toEqual([['5']]);
  }, 10_000);

  it.each([
    ['no parameter', ['() => 1']],
    ['a missing parameter', ['--jsockd', FAKE_JSOCKD, '() => 1']],
    ['a parameter that is not JSON', ['--jsockd', FAKE_JSOCKD, '() => 1', '{nope']],
    ['an unknown option', ['--jsockd', FAKE_JSOCKD, '--nope', '() => 1', 'null']],
    ['bad --threads', ['--jsockd', FAKE_JSOCKD, '--threads', '0', '() => 1', 'null']],
    ['both version options', ['--jsockd', FAKE_JSOCKD, '--expect-version', '1', '--skip-version-check', '() => 1', 'null']],
  ])('returns 2 with the usage for %s', async (_, argv) => {
    expect(await jsockdRun(argv)).toBe(2);
    expect(printed(err)).toContain('usage: jsockd-run [--jsockd PATH]');
  });

  it('returns 1 with the reason when the daemon cannot be started', async () => {
    expect(await jsockdRun(['--jsockd', '/nonexistent/jsockd', '() => 1', 'null'])).toBe(1);
    expect(printed(err)).toContain('ENOENT');
  }, 10_000);
});
