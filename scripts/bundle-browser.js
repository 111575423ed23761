// Bundles the browser entry (lib/browser/index.ts) into one ES module with esbuild, for the
// browser platform: rxjs stays an import (a peer dependency), and any Node built-in fails the build.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Builds the bundle; with `outfile` it is written there, else returned in `outputFiles`. */
function bundleBrowser(outfile) {
  const esbuild = require('esbuild');
  return esbuild.build({
    entryPoints: [path.join(root, 'lib/browser/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    external: ['rxjs'],
    metafile: true,
    sourcemap: outfile === undefined ? false : 'external',
    logLevel: 'silent',
    ...(outfile === undefined ? { write: false, outfile: 'browser.mjs' } : { outfile }),
  });
}

module.exports = { bundleBrowser };
