// Commands: typed and raw, exceptions, questions and their answers, cancellation, timeouts, reset.
import { firstValueFrom, lastValueFrom, NEVER, of, ReplaySubject, Subject, toArray } from 'rxjs';
import { DelimiterInPayloadError, EncodeError, FrameTooLargeError, HandlerError, RequestTimeoutError } from 'rxjs-socket';
import { JsockdExceptionError } from '../../../lib/protocols/jsockd';
import { start } from './fake-daemon';

describe('JsockdClient.run', () => {
  it('sends the parameter as JSON and emits the result decoded, then completes', async () => {
    const { client } = await start();
    const results = await lastValueFrom(client.run('(m, p) => ({ sum: p.a + p.b, text: p.t + "!" })', { a: 1, b: 2, t: 'h\u00e9llo \u4e16\u754c' }).pipe(toArray()));
    expect(results).toEqual([{ sum: 3, text: 'h\u00e9llo \u4e16\u754c!' }]);
  }, 10_000);

  it('runs any JSON value both ways: null, false, 0, strings, arrays', async () => {
    const { client } = await start();
    for (const value of [null, false, 0, '', 'a b\nc', [1, [2]], {}]) {
      expect(await firstValueFrom(client.run('(m, p) => p', value))).toEqual(value);
    }
  }, 10_000);

  it('errors with JsockdExceptionError carrying the object when the command throws', async () => {
    const { client } = await start();
    const error = await firstValueFrom(client.run('() => { throw new Error("boom"); }', null)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsockdExceptionError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_EXCEPTION', errorMessage: 'Error: boom', trace: [expect.objectContaining({ functionName: '<anonymous>' })] });
    expect(JSON.parse((error as JsockdExceptionError).json)).toEqual((error as JsockdExceptionError).exception);
    expect(client.error).toBeUndefined();
    expect(await firstValueFrom(client.run('() => "still running"', null))).toBe('still running');
  }, 10_000);

  it('errors with JsockdExceptionError carrying the bare string for a query that does not compile', async () => {
    const { client } = await start();
    const error = await firstValueFrom(client.run('(m, p', null)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsockdExceptionError);
    expect(error).toMatchObject({ json: '"error compiling command"', exception: 'error compiling command', errorMessage: 'error compiling command', trace: undefined });
  }, 10_000);

  it('errors with EncodeError, sending nothing, for a parameter that is not JSON', async () => {
    const { client } = await start();
    const error = await firstValueFrom(client.run('(m, p) => p', 10n)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EncodeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_ENCODE' });
    expect(await firstValueFrom(client.run('() => 1', null))).toBe(1);
  }, 10_000);
});

describe('JsockdClient.runRaw', () => {
  it('sends the JSON text as is and emits the JSON text of the result', async () => {
    const { client } = await start();
    expect(await firstValueFrom(client.runRaw('(m, p) => p.x', '{"x": [1, "\u00e9"]}'))).toBe('[1,"\u00e9"]');
  }, 10_000);

  it('errors with the bare string the daemon sends for invalid JSON', async () => {
    const { client } = await start();
    const error = await firstValueFrom(client.runRaw('(m, p) => p', '{nope')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_EXCEPTION', errorMessage: 'JSON input parse error' });
  }, 10_000);

  it('refuses a query or parameter holding a NUL byte with DelimiterInPayloadError, sending nothing', async () => {
    const { client } = await start();
    const error = await firstValueFrom(client.runRaw('() => "a\u0000b"', 'null')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DelimiterInPayloadError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_DELIMITER_IN_PAYLOAD', offset: 8 });
    expect(await firstValueFrom(client.runRaw('() => 2', 'null'))).toBe('2');
  }, 10_000);

  it('refuses a field larger than maxMessageBytes with FrameTooLargeError, sending nothing', async () => {
    const { client } = await start({ maxMessageBytes: 64 });
    const error = await firstValueFrom(client.runRaw('(m, p) => p', JSON.stringify('x'.repeat(100)))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_FRAME_TOO_LARGE', declared: 102, max: 64 });
    expect(await firstValueFrom(client.runRaw('() => 3', 'null'))).toBe('3');
  }, 10_000);

  it('hands questions to a raw handler as JSON text and sends its JSON text back', async () => {
    const { client } = await start();
    const seen: string[] = [];
    const reply = client.runRaw('(m, p) => [JSockD.sendMessage(p)]', '{"q":1}', {
      onMessage: (json) => {
        seen.push(json);
        return Promise.resolve('"answer"');
      },
    });
    expect(await firstValueFrom(reply)).toBe('["answer"]');
    expect(seen).toEqual(['{"q":1}']);
  }, 10_000);
});

describe('questions (message replies)', () => {
  const twoQuestions = '(m, p) => { const a = JSockD.sendMessage(p); const b = JSockD.sendMessage(a); return [a, b]; }';

  it('answers questions that block the command, as JSockD.sendMessage does in the real daemon', async () => {
    const { client } = await start({ onMessage: (q) => `answer to ${String(q)}` });
    const query = "(m, p) => { JSockD.sendMessage('foo'); return JSockD.sendMessage('bar'); }";
    expect(await firstValueFrom(client.run(query, null))).toBe('answer to bar');
    // The answer is the value itself, not a Promise of it.
    const typed = '() => { const a = JSockD.sendMessage(1); return [typeof a, a]; }';
    expect(await firstValueFrom(client.run(typed, null))).toEqual(['string', 'answer to 1']);
  }, 10_000);

  it('answers each question with the handler, until the final reply', async () => {
    const { client } = await start();
    const questions: unknown[] = [];
    const result = client.run(twoQuestions, 1, { onMessage: (q) => (questions.push(q), (q as number) + 1) });
    expect(await firstValueFrom(result)).toEqual([2, 3]);
    expect(questions).toEqual([1, 2]);
  }, 10_000);

  it("uses the client's onMessage, and takes a Promise's or an Observable's first value", async () => {
    const { client } = await start({ onMessage: (q) => Promise.resolve({ echo: q }) });
    expect(await firstValueFrom(client.run(twoQuestions, 'x'))).toEqual([{ echo: 'x' }, { echo: { echo: 'x' } }]);
    expect(await firstValueFrom(client.run(twoQuestions, 5, { onMessage: (q) => of(q, 'ignored') }))).toEqual([5, 5]);
  }, 10_000);

  it('writes each command, and each answer, in one write', async () => {
    const { client } = await start();
    const query = '() => { const before = JSockD.chunks(); JSockD.sendMessage(0); return JSockD.chunks() - before; }';
    expect(await firstValueFrom(client.run(query, null, { onMessage: () => 'a long enough answer to be visible' }))).toBe(1);
  }, 10_000);

  it.each([
    ['throws', (): unknown => { throw new Error('no answer'); }],
    ['rejects', (): unknown => Promise.reject(new Error('no answer'))],
    ['completes empty', (): unknown => of()],
    ['returns something that is not JSON', (): unknown => () => 1],
  ])('sends internal_error and fails the command with HandlerError when the handler %s', async (_, onMessage) => {
    const { client } = await start();
    const query = '() => { try { JSockD.sendMessage(1); } catch (e) { globalThis.lastFailure = e.message; } return "done"; }';
    const error = await firstValueFrom(client.run(query, null, { onMessage })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_HANDLER' });
    // The daemon got internal_error, finished the command, and the socket is free again.
    expect(await firstValueFrom(client.run('() => globalThis.lastFailure', null))).toBe('the client failed to answer (internal_error)');
  }, 10_000);

  it('fails the command with HandlerError when a question comes and there is no handler', async () => {
    const { client } = await start();
    const error = await firstValueFrom(client.run('() => JSockD.sendMessage(1)', null)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect(client.error).toBeUndefined();
  }, 10_000);
});

describe('cancelling and timing out', () => {
  const asksForever = '() => { try { JSockD.sendMessage(1); } catch (e) { globalThis.lastFailure = e.message; } return "late"; }';

  it('errors with RequestTimeoutError, answers the pending question with internal_error, and drops the late reply', async () => {
    const { client } = await start({ commandTimeout: 50 });
    const error = await firstValueFrom(client.run(asksForever, null, { onMessage: () => NEVER })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_REQUEST_TIMEOUT', timeout: 50 });
    expect(await firstValueFrom(client.run('() => globalThis.lastFailure', null, { timeout: 5_000 }))).toBe('the client failed to answer (internal_error)');
    expect(client.error).toBeUndefined();
  }, 10_000);

  it('never sends a command unsubscribed while it waits for its socket', async () => {
    const { client } = await start();
    const gate = new ReplaySubject<string>(1);
    const first = firstValueFrom(client.run('() => JSockD.sendMessage("wait")', null, { onMessage: () => gate }));
    const second = client.run('() => { globalThis.ran = true; return 2; }', null).subscribe();
    second.unsubscribe();
    gate.next('go');
    expect(await first).toBe('go');
    expect(await firstValueFrom(client.run('() => globalThis.ran === true', null))).toBe(false);
  }, 10_000);

  it('keeps the socket of a command unsubscribed while it runs until the daemon answers it', async () => {
    const { client } = await start();
    const gate = new Subject<string>();
    let asked: () => void = () => undefined;
    const question = new Promise<void>((resolve) => (asked = resolve));
    const onMessage = (): Subject<string> => (asked(), gate);
    const running = client.run('() => JSockD.sendMessage("wait")', null, { onMessage }).subscribe();
    const next = firstValueFrom(client.run('() => "next"', null));
    await question;
    expect(gate.observed).toBe(true);
    running.unsubscribe();
    expect(await next).toBe('next');
    expect(gate.observed).toBe(false);
  }, 10_000);
});

describe('JsockdClient.reset', () => {
  it('sends ?reset on every socket and completes when each answered reset', async () => {
    const { client } = await start({ threads: 2 });
    expect(await lastValueFrom(client.reset().pipe(toArray()))).toEqual([]);
    expect(await firstValueFrom(client.run('() => "after reset"', null))).toBe('after reset');
  }, 10_000);
});
