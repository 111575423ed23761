// Closing in order, and fatal errors: sticky, and followed by the same clean-up.
import { existsSync } from 'node:fs';
import { firstValueFrom, ReplaySubject, toArray } from 'rxjs';
import { ConnectionLostError } from 'rxjs-socket';
import { JsockdProtocolError, type JsockdLogEntry } from '../../../lib/protocols/jsockd';
import { alive, freshDir, leftIn, start } from './fake-daemon';

function messages(entries: JsockdLogEntry[]): string[] {
  return entries.map((entry) => entry.message);
}

describe('closing a jsockd client', () => {
  it('sends ?quit, waits for the exit, removes the socket directory, then completes', async () => {
    const dir = freshDir();
    const { client, ended } = await start({ threads: 2, tempDir: dir });
    const logs = firstValueFrom(client.logs$.pipe(toArray()));
    const closed = firstValueFrom(client.closed$);
    client.close();
    expect(await ended).toBe('complete');
    expect(await closed).toEqual({ code: 0, signal: null, error: undefined });
    expect(alive(client.pid)).toBe(false);
    expect(existsSync(client.socketDir)).toBe(false);
    expect(leftIn(dir)).toEqual([]);
    const said = messages(await logs);
    expect(said).toContain('quit requested');
    expect(said).not.toContain('SIGTERM received');
  }, 10_000);

  it('does the same when unsubscribed, and closed$ tells when it is over', async () => {
    const { client, subscription } = await start();
    subscription.unsubscribe();
    expect(await firstValueFrom(client.closed$)).toEqual({ code: 0, signal: null, error: undefined });
    expect(alive(client.pid)).toBe(false);
    expect(existsSync(client.socketDir)).toBe(false);
  }, 10_000);

  it('fails pending commands, and later ones, with ConnectionLostError', async () => {
    const { client, ended } = await start();
    const release = new ReplaySubject<string>(1);
    const pending = firstValueFrom(client.run('() => JSockD.sendMessage(1)', null, { onMessage: () => release })).catch((e: unknown) => e);
    const queued = firstValueFrom(client.run('() => 2', null)).catch((e: unknown) => e);
    client.close();
    expect(await pending).toBeInstanceOf(ConnectionLostError);
    expect(await queued).toBeInstanceOf(ConnectionLostError);
    expect(await ended).toBe('complete');
    const late = await firstValueFrom(client.run('() => 3', null)).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ConnectionLostError);
    expect(late).toMatchObject({ code: 'RXSOCKET_ERR_CONNECTION_LOST' });
  }, 10_000);

  it('sends SIGTERM, then SIGKILL, to a daemon that does not stop', async () => {
    const { client, ended } = await start({ fake: { FAKE_JSOCKD_MODE: 'stubborn' }, closeTimeout: 50 });
    const logs = firstValueFrom(client.logs$.pipe(toArray()));
    client.close();
    expect(await ended).toBe('complete');
    expect(await firstValueFrom(client.closed$)).toEqual({ code: null, signal: 'SIGKILL', error: undefined });
    expect(messages(await logs)).toEqual(expect.arrayContaining(['quit requested', 'ignoring SIGTERM']));
    expect(alive(client.pid)).toBe(false);
    expect(existsSync(client.socketDir)).toBe(false);
  }, 10_000);
});

describe('fatal errors', () => {
  it.each([
    ['a malformed reply line', 'garbage\\n'],
    ['a reply to another command', '99 ok 1\\n'],
  ])('make %s a sticky JsockdProtocolError, then stop everything', async (_, raw) => {
    const { client, ended } = await start({ threads: 2 });
    const error = await firstValueFrom(client.run(`() => { JSockD.writeRaw("${raw}"); return 1; }`, null)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ code: 'RXSOCKET_ERR_JSOCKD_PROTOCOL', reason: 'unexpected-reply' });
    expect(client.error).toBe(error);
    expect(await ended).toBe(error);
    expect(await firstValueFrom(client.run('() => 2', null)).catch((e: unknown) => e)).toBe(error);
    expect(await firstValueFrom(client.reset()).catch((e: unknown) => e)).toBe(error);
    expect(await firstValueFrom(client.closed$)).toMatchObject({ error });
    expect(alive(client.pid)).toBe(false);
    expect(existsSync(client.socketDir)).toBe(false);
  }, 10_000);

  it('make a line that comes when no command runs a sticky JsockdProtocolError', async () => {
    const { client, ended } = await start();
    // The first command's id is 1: it is answered by the raw line, and `reset` then comes unasked.
    expect(await firstValueFrom(client.run('() => { JSockD.writeRaw("1 ok 1\\nreset\\n"); return 2; }', null))).toBe(1);
    const error = await ended;
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(error).toMatchObject({ reason: 'unexpected-reply', message: expect.stringContaining('"reset"') as unknown });
    expect(client.error).toBe(error);
  }, 10_000);

  it('end the client when the daemon exits by itself', async () => {
    const { client, ended } = await start();
    const error = await firstValueFrom(client.run('() => process.exit(7)', null)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsockdProtocolError);
    expect(['exited', 'connection-lost']).toContain((error as JsockdProtocolError).reason);
    expect(await ended).toBe(error);
    expect(await firstValueFrom(client.closed$)).toMatchObject({ code: 7, error });
    expect(existsSync(client.socketDir)).toBe(false);
  }, 10_000);
});
