// The stderr log format: `<P> jsockd <timestamp> [<LEVEL>] <message>`, `*` continues, `$` ends.
import { JsockdLogParser } from '../../../lib/protocols/jsockd';

const T1 = '2025-09-24T21:15:45.644776Z';
const T2 = '2025-09-24T21:15:46.000001Z';
const NOW = '2000-01-01T00:00:00.000000Z';

function parse(lines: string[]): unknown[] {
  const parser = new JsockdLogParser(() => NOW);
  return [...lines.flatMap((line) => parser.push(line)), ...parser.end()];
}

describe('JsockdLogParser', () => {
  it('turns a `$` line into one entry', () => {
    expect(parse([`$ jsockd ${T1} [DEBUG] Creating thread 0`])).toEqual([{ timestamp: T1, level: 'DEBUG', message: 'Creating thread 0' }]);
  });

  it('joins the lines of a multi-line message with LF, delivering it at its `$` line', () => {
    const parser = new JsockdLogParser(() => NOW);
    expect(parser.push(`* jsockd ${T1} [ERROR] Error: boom`)).toEqual([]);
    expect(parser.push(`* jsockd ${T1} [ERROR]     at f (x.js:1)`)).toEqual([]);
    expect(parser.push(`$ jsockd ${T1} [ERROR]     at g (x.js:2)`)).toEqual([
      { timestamp: T1, level: 'ERROR', message: 'Error: boom\n    at f (x.js:1)\n    at g (x.js:2)' },
    ]);
    expect(parser.end()).toEqual([]);
  });

  it('passes other lines through at once as INFO, with the time they were read, even mid-message', () => {
    expect(parse([`* jsockd ${T1} [WARN] one`, 'segfault in module', `$ jsockd ${T1} [WARN] two`])).toEqual([
      { timestamp: NOW, level: 'INFO', message: 'segfault in module' },
      { timestamp: T1, level: 'WARN', message: 'one\ntwo' },
    ]);
  });

  it('delivers a message cut short by a line of another timestamp or level as it stands', () => {
    expect(parse([`* jsockd ${T1} [WARN] cut`, `$ jsockd ${T2} [WARN] next`, `* jsockd ${T2} [INFO] a`, `$ jsockd ${T2} [ERROR] b`])).toEqual([
      { timestamp: T1, level: 'WARN', message: 'cut' },
      { timestamp: T2, level: 'WARN', message: 'next' },
      { timestamp: T2, level: 'INFO', message: 'a' },
      { timestamp: T2, level: 'ERROR', message: 'b' },
    ]);
  });

  it('delivers an unfinished message at the end of input', () => {
    expect(parse([`* jsockd ${T1} [INFO] never finished`])).toEqual([{ timestamp: T1, level: 'INFO', message: 'never finished' }]);
  });

  it('keeps empty message lines, drops one trailing CR, and skips empty stray lines', () => {
    expect(parse([`* jsockd ${T1} [INFO] `, `$ jsockd ${T1} [INFO] x\r`, '', '\r'])).toEqual([{ timestamp: T1, level: 'INFO', message: '\nx' }]);
  });

  it('takes a line with a wrong prefix or without the jsockd tag for a stray line', () => {
    const lines = [`# jsockd ${T1} [INFO] a`, `$ other ${T1} [INFO] b`, `$ jsockd ${T1} INFO c`];
    expect(parse(lines)).toEqual(lines.map((message) => ({ timestamp: NOW, level: 'INFO', message })));
  });
});
