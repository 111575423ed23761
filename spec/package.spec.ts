// The built package (dist/) is usable from CommonJS require and ES module import, through the
// exports map, with one copy of each class for both.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
let consumer: string;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build.js')], { cwd: root, stdio: 'pipe' });
  consumer = mkdtempSync(join(tmpdir(), 'rxsocket-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules', 'rxjs-socket'), 'dir');
  symlinkSync(join(root, 'node_modules', 'rxjs'), join(consumer, 'node_modules', 'rxjs'), 'dir');
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

function run(file: string, source: string): string {
  writeFileSync(join(consumer, file), source);
  return execFileSync(process.execPath, [join(consumer, file)], { cwd: consumer, encoding: 'utf8', timeout: 15_000 }).trim();
}

const check = `
const framing = lengthPrefix({ lengthBytes: 2 });
const wire = Buffer.concat(framing.encodeFrame(Buffer.from('hi')));
const [frame] = framing.createDecoder().push(wire);
const sameClass = new FrameTooLargeError(2, 1) instanceof RxSocketError;
console.log(JSON.stringify([wire.toString('hex'), Buffer.from(frame).toString(), sameClass, typeof plainError]));`;

describe('the built package', () => {
  it('loads with require() through the exports map', () => {
    const out = run(
      'cjs.cjs',
      `const { lengthPrefix, FrameTooLargeError, RxSocketError } = require('rxjs-socket');
       const { plainError } = require('rxjs-socket/testing');${check}`,
    );
    expect(JSON.parse(out)).toEqual(['00026869', 'hi', true, 'function']);
  });

  it('loads with import through the exports map, sharing the CommonJS classes', () => {
    const out = run(
      'esm.mjs',
      `import { lengthPrefix, FrameTooLargeError, RxSocketError } from 'rxjs-socket';
       import { plainError } from 'rxjs-socket/testing';
       import { createRequire } from 'node:module';${check}
       console.log(createRequire(import.meta.url)('rxjs-socket').RxSocketError === RxSocketError);`,
    );
    const [first, second] = out.split('\n');
    expect(JSON.parse(first as string)).toEqual(['00026869', 'hi', true, 'function']);
    expect(second).toBe('true');
  });

  it('ships the rxsocket command', () => {
    const help = execFileSync(process.execPath, [join(root, 'bin/rxsocket.js'), '--help'], { encoding: 'utf8', timeout: 15_000 });
    expect(help).toContain('rxsocket listen');
  });

  it('keeps internals private', () => {
    expect(() => run('private.cjs', `require('rxjs-socket/dist/cjs/framing/delimiter-decoder.js')`)).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
