// The server half of the idle-connections case (bench/idle-bench.ts), run in a child process of
// its own (one per variant) so that its memory is the server's alone: `rxsocket` (listen,
// length-prefix, raw codec, echo), `net` (a plain node:net echo server) or `ws` (a `ws` echo
// server, deflate off). Plain JavaScript run by node itself: a TypeScript loader would add a
// `name` property to every callback and so bytes to every connection of every variant.
// It reports its memory before the server exists, then its port; on each `measure` request it
// collects garbage fully and reports `process.memoryUsage()` and the connections it holds; on
// each `cpu` request, `process.cpuUsage()` and the connections it holds (for bench/accept-bench.ts).
'use strict';
const { createServer } = require('node:net');
const { WebSocketServer } = require('ws');
const { lengthPrefix, listen, raw } = require('../dist/cjs/index.js');

const variant = process.argv[2];
let connections = 0;

function measure() {
  for (let k = 0; k < 3; k++) globalThis.gc();
  return { connections, memory: process.memoryUsage() };
}

function start() {
  if (variant === 'rxsocket') {
    const onListening = (address) => process.send({ port: address.port });
    listen({ host: '127.0.0.1', port: 0, framing: lengthPrefix(), codec: raw(), onListening }).subscribe((connection) => {
      connections++;
      connection.messages$.subscribe({ next: (message) => connection.sink.next(message), complete: () => connections-- });
    });
  } else if (variant === 'net') {
    const server = createServer((socket) => {
      connections++;
      socket.on('data', (chunk) => socket.write(chunk));
      socket.on('close', () => connections--);
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  } else if (variant === 'ws') {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false });
    wss.on('listening', () => process.send({ port: wss.address().port }));
    wss.on('connection', (ws) => {
      connections++;
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      ws.on('close', () => connections--);
      ws.on('error', () => undefined);
    });
  } else {
    throw new Error(`idle-server: unknown variant ${String(variant)}`);
  }
}

process.on('SIGINT', () => process.exit(0));
process.on('message', (request) => {
  if (request === 'measure') process.send(measure());
  if (request === 'cpu') process.send({ connections, cpu: process.cpuUsage() });
  if (request === 'snapshot') {
    require('node:v8').writeHeapSnapshot(process.argv[3]);
    process.send('done');
  }
});
process.send(measure());
start();
