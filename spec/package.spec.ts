// The package as users get it: `npm pack` (which builds on prepack), then an install of the tarball
// with rxjs into an empty project, then require, import, the testing entry point, the command,
// the type declarations and README's examples (run with tsx, as README says), all from that
// project. Every child's output is captured, so an expected failure (a private path) prints nothing.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end with its output captured; never rejects (the result says how it ended). */
function run(command: string, args: readonly string[], options: ExecFileOptions & { timeout: number }): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : (error as NodeJS.ErrnoException).code ?? null;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Like {@link run}, failing with the captured output when the command does not exit 0. */
async function succeed(command: string, args: readonly string[], options: ExecFileOptions & { timeout: number }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} ended with ${String(result.code)}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
}

/**
 * A lock file for the consumer naming rxjs and what it depends on exactly as this repository's
 * lock does: with their integrity, `npm install --offline` takes them from the npm cache that
 * `npm ci` filled, without asking the registry for package metadata.
 */
function consumerLock(tarball: string): object {
  const ours = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, unknown> = {};
  // README's MessagePack example needs @msgpack/msgpack; its WebSocket examples, ws (an optional peer
  // dependency); its validation example, zod.
  const pending = ['rxjs', '@msgpack/msgpack', 'ws', 'zod'];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const entry = ours.packages[`node_modules/${name}`];
    if (entry === undefined || packages[`node_modules/${name}`] !== undefined) continue;
    const resolved = entry.resolved ?? `https://registry.npmjs.org/${name}/-/${posix.basename(name)}-${entry.version}.tgz`;
    packages[`node_modules/${name}`] = { version: entry.version, resolved, integrity: entry.integrity, dependencies: entry.dependencies };
    pending.push(...Object.keys(entry.dependencies ?? {}));
  }
  const ownPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; peerDependencies: Record<string, string> };
  const version = (name: string): string => (packages[`node_modules/${name}`] as LockEntry).version;
  const dependencies = {
    rxjs: version('rxjs'),
    '@msgpack/msgpack': version('@msgpack/msgpack'),
    ws: version('ws'),
    zod: version('zod'),
    'rxjs-socket': `file:${tarball}`,
  };
  packages[''] = { name: 'consumer', dependencies };
  packages['node_modules/rxjs-socket'] = {
    version: ownPackage.version,
    resolved: `file:${tarball}`,
    bin: ownPackage.bin,
    peerDependencies: ownPackage.peerDependencies,
  };
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

let work: string;
let consumer: string;
let files: string[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rxsocket-pack-'));
  // prepack builds dist/; --json lists the tarball's files. The build's status line goes to stderr.
  const packed = JSON.parse(await succeed(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, timeout: 120_000 })) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const [tarball] = packed;
  if (tarball === undefined) throw new Error('npm pack made no tarball');
  files = tarball.files.map((f) => f.path);
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  const tarballPath = join(work, basename(tarball.filename));
  const lock = consumerLock(tarballPath) as { packages: { '': { dependencies: object } } };
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: lock.packages[''].dependencies }));
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lock));
  const install = ['install', '--no-audit', '--no-fund', '--ignore-scripts'];
  const offline = await run(npm, [...install, '--offline'], { cwd: consumer, timeout: 60_000 });
  // Without those packages in the npm cache, the registry supplies them.
  if (offline.code !== 0) await succeed(npm, [...install, '--prefer-offline'], { cwd: consumer, timeout: 120_000 });
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Runs a script file in the consumer project with node. */
function node(file: string, source: string): Promise<Run> {
  writeFileSync(join(consumer, file), source);
  return run(process.execPath, [join(consumer, file)], { cwd: consumer, timeout: 15_000 });
}

const check = `
const framing = lengthPrefix({ lengthBytes: 2 });
const wire = Buffer.concat(framing.encodeFrame(Buffer.from('hi')));
const [frame] = framing.createDecoder().push(wire);
const sameClass = new FrameTooLargeError(2, 1) instanceof RxSocketError;
console.log(JSON.stringify([wire.toString('hex'), Buffer.from(frame).toString(), sameClass, typeof plainError, typeof testConnection]));`;
const checked = ['00026869', 'hi', true, 'function', 'function'];

describe('the packed package', () => {
  it('holds the build, the command and the sources its maps name, and no specs, benches or fixtures', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/rxsocket.js', 'dist/cjs/index.js', 'dist/esm/index.mjs', 'dist/cjs/testing/index.d.ts']));
    expect(files.filter((f) => /(^|\/)(spec|bench|fixtures|demos|scripts)\/|\.spec\.|\.py$|tsconfig|eslint/.test(f))).toEqual([]);
    const unresolved: string[] = [];
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(consumer, 'node_modules/rxjs-socket', map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), source));
        if (!files.includes(target)) unresolved.push(`${map} -> ${target}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('loads with require() through the exports map', async () => {
    const out = await node(
      'cjs.cjs',
      `const { lengthPrefix, FrameTooLargeError, RxSocketError } = require('rxjs-socket');
       const { plainError, testConnection } = require('rxjs-socket/testing');${check}`,
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(checked);
  });

  it('loads with import through the exports map, sharing the CommonJS classes', async () => {
    const out = await node(
      'esm.mjs',
      `import { lengthPrefix, FrameTooLargeError, RxSocketError } from 'rxjs-socket';
       import { plainError, testConnection } from 'rxjs-socket/testing';
       import { createRequire } from 'node:module';${check}
       console.log(createRequire(import.meta.url)('rxjs-socket').RxSocketError === RxSocketError);`,
    );
    expect(out.stderr).toBe('');
    const [first, second] = out.stdout.trim().split('\n');
    expect(JSON.parse(first as string)).toEqual(checked);
    expect(second).toBe('true');
  });

  it('type-checks a TypeScript consumer against the shipped declarations', async () => {
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { connect, json, type Connection } from 'rxjs-socket';
       import { testConnection } from 'rxjs-socket/testing';
       export const client$ = connect<{ id: number }>({ port: 1, codec: json() });
       export const test: Connection<{ id: number }, { id: number }> = testConnection({ codec: json<{ id: number }>() });\n`,
    );
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node'];
    const out = await run(process.execPath, [tsc, ...flags, '--typeRoots', join(root, 'node_modules/@types'), 'consumer.ts'], { cwd: consumer, timeout: 30_000 });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.code).toBe(0);
  }, 30_000);

  it('installs the rxsocket command', async () => {
    const out = await run(npm, ['exec', '--offline', '--no', '--', 'rxsocket', '--help'], { cwd: consumer, timeout: 15_000 });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('rxsocket listen');
  });

  it("runs README's examples as ES modules with tsx, except the one that needs Jest and those that need NATS", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // The NATS examples need a nats-server and the NATS client: spec/readme.spec.ts runs them.
    const examples = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)]
      .map((m) => m[1] as string)
      .filter((code) => !code.includes('expect(') && !code.includes("'rxjs-socket/nats'"));
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const files = examples.map((code, k) => {
      writeFileSync(join(consumer, `example-${k + 1}.mts`), code);
      return `./example-${k + 1}.mts`;
    });
    writeFileSync(join(consumer, 'examples.mts'), `for (const file of ${JSON.stringify(files)}) {\n  await import(file);\n  console.log(file);\n}\n`);
    const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
    // The jsockd example finds its daemon through $JSOCKD: here, the tests' stand-in.
    const env = { ...process.env, JSOCKD: join(root, 'spec/fixtures/fake-jsockd.js') };
    const out = await run(process.execPath, [tsx, 'examples.mts'], { cwd: consumer, env, timeout: 45_000 });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim().split('\n')).toEqual(files);
  }, 50_000);

  it('loads rxjs-socket/websocket with require() and import, sharing the core error classes', async () => {
    const out = await node(
      'websocket.mjs',
      `import { listenWebSocket, WebSocketRefusedError } from 'rxjs-socket/websocket';
       import { createRequire } from 'node:module';
       const cjs = createRequire(import.meta.url)('rxjs-socket/websocket');
       const core = createRequire(import.meta.url)('rxjs-socket');
       console.log(JSON.stringify([typeof listenWebSocket, cjs.WebSocketRefusedError === WebSocketRefusedError, core.WebSocketRefusedError === WebSocketRefusedError]));`,
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(['function', true, true]);
  });

  it('never loads ws from the core entry point, only from rxjs-socket/websocket', async () => {
    const out = await node(
      'no-ws.cjs',
      `const loaded = () => Object.keys(require.cache).some((file) => /[\\/]node_modules[\\/]ws[\\/]/.test(file));
       require('rxjs-socket');
       const core = loaded();
       require('rxjs-socket/websocket');
       console.log(JSON.stringify([core, loaded()]));`,
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual([false, true]);
  });

  it('loads rxjs-socket/nats with require() and import, sharing the core error classes, without the NATS client installed', async () => {
    const out = await node(
      'nats.mjs',
      `import { fromSubject, natsHub, NoRespondersError } from 'rxjs-socket/nats';
       import { createRequire } from 'node:module';
       const cjs = createRequire(import.meta.url)('rxjs-socket/nats');
       const core = createRequire(import.meta.url)('rxjs-socket');
       console.log(JSON.stringify([typeof fromSubject, typeof natsHub, cjs.NoRespondersError === NoRespondersError, core.NoRespondersError === NoRespondersError]));`,
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(['function', 'function', true, true]);
  });

  it('ships rxjs-socket/browser as one ES module that imports only rxjs', async () => {
    expect(files).toEqual(expect.arrayContaining(['dist/browser/index.mjs', 'dist/cjs/browser/index.d.ts']));
    const out = await node(
      'browser.mjs',
      `import { connectWebSocket, reconnecting, json } from 'rxjs-socket/browser';
       console.log(JSON.stringify([typeof connectWebSocket, typeof reconnecting, new TextDecoder().decode(json().encode({ a: 1 }))]));`,
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(['function', 'function', '{"a":1}']);
  });

  it('keeps internals private', async () => {
    const out = await node('private.cjs', `require('rxjs-socket/dist/cjs/framing/delimiter-decoder.js')`);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
