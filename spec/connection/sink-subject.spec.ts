// Issue 16, item 10: the sink is a real RxJS Subject; subscribing to it shows each accepted message.
import { Subject } from 'rxjs';
import { sinkSubject, utf8 } from 'rxjs-socket';
import { testConnection } from 'rxjs-socket/testing';

describe('sinkSubject', () => {
  it('is the sink of every connection, and shows each accepted message, then the end', () => {
    const connection = testConnection({ codec: utf8() });
    expect(connection.sink).toBeInstanceOf(Subject);
    const seen: string[] = [];
    let ended = false;
    connection.sink.subscribe({ next: (message) => seen.push(message), complete: () => (ended = true) });
    connection.sink.next('one');
    connection.sink.next('two');
    connection.sink.complete();
    connection.sink.next('refused after the end');
    expect(seen).toEqual(['one', 'two']);
    expect(ended).toBe(true);
    expect(connection.lateMessages).toBe(1);
  });

  it('does not show a message the connection refused (it failed)', () => {
    const connection = testConnection({ codec: utf8() });
    const seen: string[] = [];
    connection.sink.subscribe((message) => seen.push(message));
    connection.destroy(new Error('gone'));
    connection.sink.next('late');
    expect(seen).toEqual([]);
    expect(connection.lateMessages).toBe(1);
  });

  it('passes messages to its handlers with nobody watching, and an error to its watchers', () => {
    const taken: string[] = [];
    const errors: unknown[] = [];
    const sink = sinkSubject<string>({ next: (m) => (taken.push(m), true), error: (e) => errors.push(e), complete: () => undefined });
    expect(sink).toBeInstanceOf(Subject);
    sink.next('a');
    const watched: unknown[] = [];
    sink.subscribe({ error: (e: unknown) => watched.push(e) });
    sink.error('boom');
    expect(taken).toEqual(['a']);
    expect(errors).toEqual(['boom']);
    expect(watched).toEqual(['boom']);
  });
});
