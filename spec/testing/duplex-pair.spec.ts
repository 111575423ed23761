import { duplexPair } from 'rxjs-socket/testing';

describe('duplexPair', () => {
  it('carries bytes both ways and ends the other side on end()', async () => {
    const [a, b] = duplexPair();
    const received: Buffer[] = [];
    b.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => b.once('end', resolve));
    a.end('hello');
    await ended;
    expect(Buffer.concat(received).toString()).toBe('hello');
  });

  it('fails a write held back by a full reader with EPIPE when that reader is destroyed', async () => {
    const [a, b] = duplexPair({ highWaterMark: 16 });
    const outcome = new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => {
      a.on('error', () => undefined);
      a.write(Buffer.alloc(64), (error) => resolve(error));
    });
    b.destroy();
    expect(await outcome).toMatchObject({ code: 'EPIPE' });
  });
});
