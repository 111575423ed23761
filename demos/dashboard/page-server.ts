// The dashboard's HTTP server: the page, its script (demos/dashboard/page/main.ts, bundled with
// esbuild when the demo starts; `rxjs-socket/browser` resolves through tsconfig's paths) and
// uPlot's stylesheet from node_modules. The WebSocket at /live is added on the same server.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rxsocket dashboard</title>
<link rel="stylesheet" href="/uplot.css"><link rel="stylesheet" href="/page.css">
</head><body><div id="app">loading…</div><script type="module" src="/page.js"></script></body></html>`;

/** Starts the HTTP server on 127.0.0.1:`port` (0: a free one) and resolves with it and its port. */
export async function pageServer(port: number): Promise<{ server: Server; port: number }> {
  const bundle = await build({
    entryPoints: [join(__dirname, 'page/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: page },
    '/page.js': { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0]?.text ?? '' },
    '/page.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(__dirname, 'page/page.css'), 'utf8') },
    '/uplot.css': { type: 'text/css; charset=utf-8', body: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') },
  };
  const server = createServer((request, response) => {
    const file = files[(request.url ?? '/').split('?')[0] ?? '/'];
    if (request.method !== 'GET' || file === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
