// Every error code is stable, unique, carried by its class, and listed in README's table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as rxsocket from 'rxjs-socket';
import { RxSocketError } from 'rxjs-socket';

const root = join(__dirname, '..');
const source = readFileSync(join(root, 'lib/errors/rxsocket-error.ts'), 'utf8');
const unionText = source.slice(source.indexOf('export type RxSocketErrorCode'), source.indexOf(';', source.indexOf('export type RxSocketErrorCode')));
const union = [...unionText.matchAll(/'(RXSOCKET_ERR_[A-Z_]+)'/g)].map((m) => m[1] as string);
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('error codes', () => {
  it('are all listed in the README table, once each', () => {
    expect(new Set(union).size).toBe(union.length);
    for (const code of union) expect(readme).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  it('list every exported error class in the README table, one class per code', () => {
    const classes = Object.entries(rxsocket).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof RxSocketError,
    ) as Array<[string, abstract new (...args: never[]) => RxSocketError]>;
    // The base class aside, one class per code.
    expect(classes.length).toBe(union.length);
    for (const [name] of classes) expect(readme).toMatch(new RegExp(`\\| \`RXSOCKET_ERR_[A-Z_]+\` \\| \`${name}\` \\|`));
  });

  it('keep Node system errors apart: RxSocketError is not one', () => {
    const error = new rxsocket.FrameTooLargeError(2, 1);
    expect(error).toBeInstanceOf(RxSocketError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'FrameTooLargeError', code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 2, max: 1 });
  });
});
