import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../..');

describe('npm run demo -- framing-tour', () => {
  it('round-trips every message through each framing over loopback and exits', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'demos/index.ts', 'framing-tour'], {
      cwd: root,
      timeout: 30_000,
    });
    const pairs = [...stdout.matchAll(/sent (.+?)\s+decoded (.+)$/gm)];
    expect(pairs).toHaveLength(18);
    for (const [, sent, decoded] of pairs) expect((sent as string).trim()).toBe(decoded);
    expect(stdout).toContain('all framings round-tripped over 127.0.0.1');
  }, 40_000);
});
