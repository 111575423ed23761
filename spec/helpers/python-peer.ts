import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const peers = join(__dirname, '..', 'protocols', 'peers');

/** Runs a Python peer to completion and resolves with its stdout lines. */
export function runPeer(script: string, args: string[], timeout = 15_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('python3', [join(peers, script), ...args], { timeout }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
      else resolve(stdout.split('\n').filter((line) => line !== ''));
    });
  });
}

/** A long-running Python peer: its port (from its first line "port N"), its later lines, and a way to stop it. */
export interface RunningPeer {
  readonly port: number;
  /** Resolves with the next line the peer prints. */
  nextLine(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a Python server peer and waits for its "port N" line. */
export async function startPeer(script: string, args: string[]): Promise<RunningPeer> {
  const child: ChildProcess = spawn('python3', [join(peers, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.on('error', () => undefined);
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const nextLine = (): Promise<string> => {
    const line = lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
  const first = await nextLine();
  const port = Number(/^port (\d+)$/.exec(first)?.[1]);
  return {
    port,
    nextLine,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
