// `npm run demo -- --duration S` (the dashboard is the default demo): prints its URL first, sensors
// as child processes feed the ingest server, the page is served, and the demo stops by itself,
// ending every sensor process (no orphans).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { alive } from '../helpers/processes';

const root = resolve(__dirname, '../..');

describe('npm run demo (the dashboard)', () => {
  it('aggregates readings from sensor processes and stops cleanly after --duration', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'demos/index.ts', '--sensors', '2', '--duration', '15'],
      { cwd: root, timeout: 40_000, killSignal: 'SIGKILL' },
    );
    expect(stdout).toMatch(/^dashboard on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(stdout).toMatch(/^ingest on 127\.0\.0\.1:\d+$/m);
    expect(stdout).toMatch(/server: 2 open, [1-9]\d* messages in/);
    expect(stdout.trim().endsWith('stopped')).toBe(true);
    const pids = (/^sensor processes (.+)$/m.exec(stdout)?.[1] ?? '').split(' ').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 50_000);
});
