// The browser entry bundles for the browser platform with no Node built-in anywhere in it.
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS
const { bundleBrowser } = require(join(__dirname, '../../scripts/bundle-browser.js')) as {
  bundleBrowser: () => Promise<{ metafile: Metafile; outputFiles: Array<{ text: string }> }>;
};

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('the rxjs-socket/browser bundle', () => {
  it('builds for the browser platform, importing nothing but rxjs, with no Node built-in', async () => {
    const result = await bundleBrowser();
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => builtins.has(path))).toEqual([]);
    const external = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect([...new Set(external)]).toEqual(['rxjs']);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((file) => file.startsWith('lib/'))).toBe(true);
    expect(inputs).not.toContain('lib/websocket/websocket-connection.ts');
    const text = result.outputFiles[0]?.text ?? '';
    expect(text).not.toMatch(/\brequire\(|from ["']node:|from ["']ws["']/);
    // Nor any Node global.
    expect(text).not.toMatch(/\bBuffer\b|\bprocess\.|\bsetImmediate\b|\b__dirname\b/);
  }, 60_000);
});
