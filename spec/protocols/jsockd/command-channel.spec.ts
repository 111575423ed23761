// One socket's worker, over an in-memory pair: what it writes, and the protocol faults a
// well-behaved daemon never produces.
import type { Duplex } from 'node:stream';
import { from, NEVER, of } from 'rxjs';
import { DelimiterInPayloadError, fromSocket, HandlerError, jsockdFraming, utf8 } from 'rxjs-socket';
import { duplexPair } from 'rxjs-socket/testing';
import { CommandChannel, type CommandJob } from '../../../lib/protocols/jsockd/command-channel';
import { JsockdProtocolError } from '../../../lib/protocols/jsockd';

interface Harness {
  channel: CommandChannel;
  daemon: Duplex;
  chunks: string[];
  fatal: Promise<JsockdProtocolError>;
}

function harness(maxFieldBytes = 1024): Harness {
  const [clientEnd, daemon] = duplexPair();
  const connection = fromSocket<string, string>(clientEnd, { framing: { in: jsockdFraming('replies'), out: jsockdFraming('commands') }, codec: utf8() });
  const chunks: string[] = [];
  daemon.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  let report: (error: JsockdProtocolError) => void = () => undefined;
  const fatal = new Promise<JsockdProtocolError>((resolve) => (report = resolve));
  return { channel: new CommandChannel(0, connection, maxFieldBytes, report), daemon, chunks, fatal };
}

function job(id: string, answer: CommandJob['answer'] = () => NEVER): { job: CommandJob; outcome: Promise<unknown> } {
  let settle: (value: unknown) => void = () => undefined;
  const outcome = new Promise<unknown>((resolve) => (settle = resolve));
  return {
    job: { kind: 'command', id, query: '(m, p) => p', paramJson: '{"a":1}', answer, abandoned: false, settle, fail: settle },
    outcome,
  };
}

async function ticks(n = 5): Promise<void> {
  for (let k = 0; k < n; k++) await new Promise((r) => setImmediate(r));
}

describe('CommandChannel', () => {
  it('writes a command as NUL-terminated fields in one chunk, and the next one only after the reply', async () => {
    const { channel, daemon, chunks } = harness();
    const first = job('1');
    const second = job('2');
    channel.submit(first.job);
    channel.submit(second.job);
    await ticks();
    expect(chunks).toEqual(['1\u0000(m, p) => p\u0000{"a":1}\u0000']);
    daemon.write('1 ok {"a":1}\n');
    expect(await first.outcome).toEqual({ id: '1', kind: 'ok', json: '{"a":1}' });
    await ticks();
    expect(chunks).toEqual(['1\u0000(m, p) => p\u0000{"a":1}\u0000', '2\u0000(m, p) => p\u0000{"a":1}\u0000']);
    daemon.destroy();
  });

  it('writes each answer as `<id> NUL <json> NUL` in one chunk', async () => {
    const { channel, daemon, chunks } = harness();
    channel.submit(job('7', (question) => of(`{"echo":${question}}`)).job);
    await ticks();
    daemon.write('7 message [1,2]\n');
    await ticks();
    expect(chunks[1]).toBe('7\u0000{"echo":[1,2]}\u0000');
    daemon.destroy();
  });

  it('answers internal_error and fails the job with HandlerError when the answer holds a NUL', async () => {
    const { channel, daemon, chunks } = harness();
    const command = job('7', () => of('"a\u0000"'));
    channel.submit(command.job);
    await ticks();
    daemon.write('7 message 1\n');
    const error = await command.outcome;
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).cause).toBeInstanceOf(DelimiterInPayloadError);
    await ticks();
    expect(chunks[1]).toBe('7\u0000internal_error\u0000');
    daemon.destroy();
  });

  it('reports a second question before the first is answered as a protocol error', async () => {
    const { channel, daemon, fatal } = harness();
    channel.submit(job('3').job);
    await ticks();
    daemon.write('3 message 1\n3 message 2\n');
    const error = await fatal;
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_PROTOCOL', reason: 'unexpected-reply' });
    daemon.destroy();
  });

  it('reports a final reply before the question is answered as a protocol error, and never writes the late answer', async () => {
    const { channel, daemon, chunks, fatal } = harness();
    let answer: (reply: string) => void = () => undefined;
    const late = new Promise<string>((resolve) => (answer = resolve));
    channel.submit(job('3', () => from(late)).job);
    await ticks();
    daemon.write('3 message 1\n3 ok 2\n');
    const error = await fatal;
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_PROTOCOL', reason: 'unexpected-reply' });
    channel.stop();
    answer('"late"');
    await ticks();
    expect(chunks).toEqual(['3\u0000(m, p) => p\u0000{"a":1}\u0000']);
    daemon.destroy();
  });

  it('reports the daemon closing the socket as connection-lost', async () => {
    const { channel, daemon, fatal } = harness();
    channel.submit(job('4').job);
    daemon.end();
    expect(await fatal).toMatchObject({ reason: 'connection-lost', message: expect.stringContaining('socket 0 closed by the daemon') as unknown });
  });

  it('hands back the live jobs on stop and ignores what comes afterwards', async () => {
    const { channel, daemon, fatal } = harness();
    const running = job('5');
    const waiting = job('6');
    const gone = job('7');
    channel.submit(running.job);
    channel.submit(waiting.job);
    channel.submit(gone.job);
    channel.withdraw(gone.job);
    expect(channel.stop()).toEqual([running.job, waiting.job]);
    daemon.write('garbage\n');
    daemon.end();
    const reported = await Promise.race([fatal, ticks(10).then(() => 'nothing')]);
    expect(reported).toBe('nothing');
  });
});
