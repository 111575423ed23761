// Every TypeScript example in README.md is type-checked and run: the README shows only tested usage.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { haveNatsServer, startNatsServer, type NatsServer } from '../scripts/nats-server';

const root = resolve(__dirname, '..');
const outDir = join(__dirname, '.readme-snippets');

/** The ```ts blocks of README.md, each as a module whose body runs in an exported async function. */
function snippets(): Array<{ name: string; file: string; nats: boolean }> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return blocks.map((code, i) => {
    const lines = code.split('\n');
    const imports = lines.filter((l) => l.startsWith('import '));
    const body = lines.filter((l) => !l.startsWith('import '));
    const file = join(outDir, `snippet-${i + 1}.ts`);
    writeFileSync(file, [...imports, 'export async function run(): Promise<void> {', ...body, '}', ''].join('\n'));
    const heading = readme.slice(0, readme.indexOf(code)).match(/^#+ (.+)$/gm)?.pop() ?? '';
    return { name: `${i + 1} (${heading.replace(/^#+ /, '')})`, file, nats: code.includes("'rxjs-socket/nats'") };
  });
}

const examples = snippets();

// The jsockd example finds its daemon through $JSOCKD (else `jsockd` on the PATH): here, the stand-in.
// The NATS examples find their server through $NATS_URL: here, a nats-server of their own (without
// one they are skipped, as spec/nats/ says once).
const savedJsockd = process.env.JSOCKD;
const savedNatsUrl = process.env.NATS_URL;
let nats: NatsServer | undefined;
beforeAll(async () => {
  process.env.JSOCKD ??= join(root, 'spec/fixtures/fake-jsockd.js');
  if (haveNatsServer) {
    nats = await startNatsServer();
    process.env.NATS_URL = nats.url;
  }
}, 15_000);
afterAll(async () => {
  if (savedJsockd === undefined) delete process.env.JSOCKD;
  if (savedNatsUrl === undefined) delete process.env.NATS_URL;
  else process.env.NATS_URL = savedNatsUrl;
  await nats?.stop();
}, 15_000);

describe('README.md examples', () => {
  it('type-check under the project settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (config === undefined) throw new Error('cannot read tsconfig.json');
    const program = ts.createProgram(
      examples.map((e) => e.file),
      { ...config.options, noEmit: true },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => '\n' }));
    expect(problems).toEqual([]);
  }, 60_000);

  it.each(examples.filter((e) => haveNatsServer || !e.nats))('example $name runs', async ({ file }) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest transforms the snippet on require
    const mod = require(file) as { run: () => Promise<void> };
    await mod.run();
  });

  it('exist', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });
});
