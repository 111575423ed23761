// typedError: an asymmetric matcher that compares errors by type, name, code, message and cause.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLostError, RxSocketError, StallTimeoutError } from 'rxjs-socket';
import { connectionReset, typedError } from 'rxjs-socket/testing';

const stall = new StallTimeoutError(30_000, 5);

describe('typedError', () => {
  it('accepts instances of the class it names, and nothing else', () => {
    expect(typedError(StallTimeoutError).asymmetricMatch(stall)).toBe(true);
    expect(typedError(RxSocketError).asymmetricMatch(stall)).toBe(true);
    expect(typedError(ConnectionLostError).asymmetricMatch(stall)).toBe(false);
    // Jest alone would accept this: errors with equal messages are equal to it.
    const lookalike = new Error(stall.message);
    expect(lookalike).toEqual(stall);
    expect(typedError(StallTimeoutError).asymmetricMatch(lookalike)).toBe(false);
  });

  it('accepts errors Node made in its own realm (under Jest) by their built-in class', () => {
    let nodeError: unknown;
    try {
      readFileSync(join(tmpdir(), 'rxs-does-not-exist', 'nothing'));
    } catch (error) {
      nodeError = error;
    }
    expect(nodeError instanceof Error).toBe(false);
    expect(nodeError).toEqual(typedError({ type: Error, code: 'ENOENT' }));
    expect(nodeError).toEqual(typedError(Error));
    expect(nodeError).not.toEqual(typedError(TypeError));
    expect(nodeError).not.toEqual(typedError(RxSocketError));
  });

  it('compares only the fields of a pattern it is given', () => {
    expect(stall).toEqual(typedError({ code: 'RXSOCKET_ERR_STALL_TIMEOUT' }));
    expect(stall).toEqual(typedError({ name: 'StallTimeoutError', message: /5 bytes/ }));
    expect(stall).toEqual(typedError({ type: RxSocketError, message: 'partial frame (5 bytes) not completed within 30000 ms' }));
    expect(stall).not.toEqual(typedError({ code: 'RXSOCKET_ERR_IDLE_TIMEOUT' }));
    expect(stall).not.toEqual(typedError({ name: 'IdleTimeoutError' }));
    expect(stall).not.toEqual(typedError({ message: 'partial frame' }));
    expect(stall).not.toEqual(typedError({ message: /^nothing/ }));
    expect('not an error').not.toEqual(typedError({ name: 'Error' }));
  });

  it('matches the cause by class or pattern', () => {
    const lost = new ConnectionLostError(connectionReset());
    expect(lost).toEqual(typedError({ type: ConnectionLostError, cause: { code: 'ECONNRESET' } }));
    expect(lost).toEqual(typedError({ cause: Error }));
    expect(lost).not.toEqual(typedError({ cause: { code: 'EPIPE' } }));
    expect(new ConnectionLostError(undefined)).not.toEqual(typedError({ cause: Error }));
  });

  it('serves as the error value of a marble assertion, which fails for another error', () => {
    const check = (error: unknown) => () =>
      new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ expectObservable }) => {
        expectObservable(throwError(() => error)).toBe('#', undefined, typedError({ type: StallTimeoutError, code: 'RXSOCKET_ERR_STALL_TIMEOUT' }));
      });
    expect(check(stall)).not.toThrow();
    expect(check(new Error(stall.message))).toThrow(/typedError\(\{ type: StallTimeoutError, code: "RXSOCKET_ERR_STALL_TIMEOUT" \}\)/);
    expect(check(new ConnectionLostError(undefined))).toThrow();
  });

  it('prints what it expects in a failed assertion', () => {
    expect(String(typedError(StallTimeoutError))).toBe('typedError(StallTimeoutError)');
    expect(() => expect(of(1)).toEqual(typedError({ code: 'ECONNRESET', message: /reset/, cause: RxSocketError }))).toThrow(
      'typedError({ code: "ECONNRESET", message: /reset/, cause: RxSocketError })',
    );
  });
});
