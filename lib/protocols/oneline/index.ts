/** The socket-oneline kit: a one-client-at-a-time line server and its client. */
export { onelineServer, serveOneline } from './oneline-server';
export type { OnelineServerOptions, OnelineHandler } from './oneline-server';
export { onelineClient } from './oneline-client';
export type { OnelineClient, OnelineClientOptions } from './oneline-client';
export { onelineCodec } from './oneline-codec';
export type { OnelineLine, OnelineDecoding } from './oneline-codec';
