// The lines jsockd writes: reply lines on its sockets, READY on stdout; and its exception payloads.
import { JsockdExceptionError, parseReadyLine, parseReplyLine } from '../../../lib/protocols/jsockd';

describe('parseReplyLine', () => {
  it('splits `<id> <kind> <json>` at the first two spaces', () => {
    expect(parseReplyLine('7 ok {"a": "b c"}')).toEqual({ id: '7', kind: 'ok', json: '{"a": "b c"}' });
    expect(parseReplyLine('x-1 exception "error compiling command"')).toEqual({ id: 'x-1', kind: 'exception', json: '"error compiling command"' });
    expect(parseReplyLine(`${'i'.repeat(32)} message null`)).toEqual({ id: 'i'.repeat(32), kind: 'message', json: 'null' });
  });

  it.each(['', 'quit', '7 ok', '7 okay 1', '7  ok 1', ' 7 ok 1', `${'i'.repeat(33)} ok 1`, '7 OK 1'])('returns null for %j', (line) => {
    expect(parseReplyLine(line)).toBeNull();
  });
});

describe('parseReadyLine', () => {
  it('reads the thread count and the version', () => {
    expect(parseReadyLine('READY 4 0.0.139')).toEqual({ threads: 4, version: '0.0.139' });
  });

  it.each(['READY', 'READY 4', 'READY many 0.0.139', 'READY 4 0.0.139 extra', 'ready 4 0.0.139', ' READY 4 0.0.139', 'READY -1 x'])('returns null for %j', (line) => {
    expect(parseReadyLine(line)).toBeNull();
  });
});

describe('JsockdExceptionError', () => {
  it('takes errorMessage and trace from an object payload', () => {
    const json = JSON.stringify({ errorMessage: 'Error: foo', trace: [{ functionName: 'f', line: 1 }], raw: 'Error: foo\n at f' });
    const error = new JsockdExceptionError(json);
    expect(error).toMatchObject({ name: 'JsockdExceptionError', code: 'RXSOCKET_ERR_JSOCKD_EXCEPTION', json, errorMessage: 'Error: foo' });
    expect(error.trace).toEqual([{ functionName: 'f', line: 1 }]);
    expect(error.message).toBe('JavaScript exception: Error: foo');
  });

  it('takes a bare string payload as the message', () => {
    expect(new JsockdExceptionError('"JSON input parse error"')).toMatchObject({ exception: 'JSON input parse error', errorMessage: 'JSON input parse error', trace: undefined });
  });

  it('keeps a payload that is not JSON, or has no errorMessage, as text', () => {
    expect(new JsockdExceptionError('not json')).toMatchObject({ exception: 'not json', errorMessage: 'not json' });
    expect(new JsockdExceptionError('{"other":1}')).toMatchObject({ exception: { other: 1 }, errorMessage: '{"other":1}' });
  });
});
