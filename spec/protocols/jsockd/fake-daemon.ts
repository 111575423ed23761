// Test helpers: the kit against the stand-in daemon (spec/fixtures/fake-jsockd.js), each client
// in a fresh temp dir, and everything closed (and awaited) after each test.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { firstValueFrom, type Subscription } from 'rxjs';
import { jsockd, type JsockdClient, type JsockdOptions } from '../../../lib/protocols/jsockd';

/** The stand-in daemon, runnable as a command (shebang, executable bit). */
export const FAKE_JSOCKD = resolve(__dirname, '../../fixtures/fake-jsockd.js');

/** A client of the fake daemon, and how its Observable ended (the error, or `'complete'`). */
export interface Started {
  readonly client: JsockdClient;
  readonly subscription: Subscription;
  readonly ended: Promise<unknown>;
}

/** Options for a test: the kit's, plus the fake daemon's environment switches. */
export type FakeOptions = Partial<JsockdOptions> & { fake?: Record<string, string> };

const opened: Started[] = [];
const dirs: string[] = [];

/** A fresh `rxs-` temp dir, removed after the test: where the kit makes its socket directory. */
export function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rxs-'));
  dirs.push(dir);
  return dir;
}

/** What is left in a temp dir (the kit must leave nothing). */
export function leftIn(dir: string): string[] {
  return readdirSync(dir);
}

function optionsOf(options: FakeOptions): JsockdOptions {
  const { fake, ...rest } = options;
  return { command: FAKE_JSOCKD, threads: 1, tempDir: freshDir(), env: fake, ...rest };
}

/** Starts a client; rejects if the Observable errors before emitting it. */
export function start(options: FakeOptions = {}): Promise<Started> {
  return new Promise((resolveStarted, reject) => {
    let settle: (outcome: unknown) => void = () => undefined;
    const ended = new Promise<unknown>((r) => (settle = r));
    const subscription = jsockd(optionsOf(options)).subscribe({
      next: (client) => {
        const started = { client, subscription, ended };
        opened.push(started);
        resolveStarted(started);
      },
      error: (error: unknown) => {
        settle(error);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on untouched: Node's errors fail instanceof Error under Jest
        reject(error);
      },
      complete: () => settle('complete'),
    });
  });
}

/** Starts a client that must fail before emitting; resolves with the error (delivered after clean-up). */
export function startFailure(options: FakeOptions = {}): Promise<unknown> {
  return start(options).then(
    () => {
      throw new Error('the client started');
    },
    (error: unknown) => error,
  );
}

export { alive } from '../../helpers/processes';

afterEach(async () => {
  const clients = opened.splice(0);
  for (const { subscription } of clients) subscription.unsubscribe();
  await Promise.all(clients.map(({ client }) => firstValueFrom(client.closed$)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
