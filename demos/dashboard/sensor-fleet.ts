// The simulated sensors, each its own process (demos/dashboard/sensor.ts; or `perProcess` of them
// per process, for load runs): started, killed (and started again after a pause, as a supervisor
// would), told to send a malformed frame, stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The sensor processes of the dashboard. */
export interface SensorFleet {
  /** The names, `s<first>`..`s<first + count - 1>`. */
  readonly names: readonly string[];
  /** The process ids now. */
  pids(): number[];
  /** Kills a sensor's process with SIGKILL; it is started again `restartAfter` ms after it died. */
  kill(name: string): string;
  /** Has a sensor send one malformed frame on a connection of its own. */
  malformed(name: string): string;
  /** Ends every sensor process (SIGTERM) and resolves once all have exited; no more restarts. */
  stop(): Promise<void>;
}

/**
 * Starts `count` sensors (named from `s<first>` on) sending `rate` readings per second each to the ingest server on `port`.
 * sensor.ts is bundled to one JavaScript file first (in node_modules/.cache, rebuilt at each
 * start; nothing is left in temp directories whichever way the demo ends), so each process starts
 * in a fraction of a second.
 */
export async function sensorFleet(port: number, count: number, rate: number, perProcess = 1, restartAfter = 3000, first = 1): Promise<SensorFleet> {
  const script = join(__dirname, '../../node_modules/.cache/rxsocket-dashboard/sensor.js');
  const bundle = await build({ entryPoints: [join(__dirname, 'sensor.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  // Written aside, then renamed over the old one (atomic): demos starting together never read half a file.
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(`${script}.${process.pid}`, bundle.outputFiles[0]?.text ?? '');
  renameSync(`${script}.${process.pid}`, script);
  const processes = new Map<string, ChildProcess>();
  const restarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  const start = (name: string): void => {
    const child = spawn(process.execPath, [script, String(port), name, String(rate)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    processes.set(name, child);
    child.once('exit', () => {
      if (stopping || processes.get(name) !== child) return;
      const timer = setTimeout(() => {
        restarts.delete(timer);
        start(name);
      }, restartAfter);
      restarts.add(timer);
    });
  };
  const names = Array.from({ length: count }, (_, i) => `s${first + i}`);
  /** Process keys: the sensors it runs, comma-separated. */
  const groups: string[] = [];
  for (let i = 0; i < count; i += perProcess) groups.push(names.slice(i, i + perProcess).join(','));
  for (const group of groups) start(group);
  const running = (name: string): ChildProcess | undefined => {
    const child = processes.get(groups.find((group) => group.split(',').includes(name)) ?? '');
    return child !== undefined && child.exitCode === null && child.signalCode === null ? child : undefined;
  };
  return {
    names,
    pids: () => [...processes.values()].map((child) => child.pid ?? 0),
    kill: (name) => {
      const child = running(name);
      if (child === undefined) return `${name} is not running`;
      child.kill('SIGKILL');
      return `killed ${perProcess === 1 ? name : `the process of ${name}`} (pid ${child.pid}); it starts again ${restartAfter / 1000} s after it died`;
    },
    malformed: (name) => {
      const child = running(name);
      if (child === undefined || !child.connected) return `${name} is not running`;
      child.send('malformed');
      return `${name} sent a malformed frame on a connection of its own`;
    },
    stop: async () => {
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      const exits = [...processes.values()].map(
        (child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))),
      );
      for (const child of processes.values()) child.kill('SIGTERM');
      await Promise.all(exits);
    },
  };
}
