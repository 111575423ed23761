// The library under measurement is the built package (dist/: what users run, compiled by tsc),
// typed by its sources. `npm run bench` builds it first.
import { createRequire } from 'node:module';
import type * as Library from '../lib/index';

const library = createRequire(__filename)('../dist/cjs/index.js') as typeof Library;

export const { broadcast, connect, delimiter, headerPrefix, json, lengthPrefix, listen, raw } = library;
export type { Codec, Connection, Framing, SocketAddress } from '../lib/index';

import type * as WebSocketLibrary from '../lib/websocket/index';

const websocketLibrary = createRequire(__filename)('../dist/cjs/websocket/index.js') as typeof WebSocketLibrary;

export const { connectWebSocket, listenWebSocket } = websocketLibrary;

import type * as NatsLibrary from '../lib/nats/index';

const natsLibrary = createRequire(__filename)('../dist/cjs/nats/index.js') as typeof NatsLibrary;

export const { fromSubject, toSubject } = natsLibrary;
