/** The jsocket kit: servers and clients that speak jsocket v1, legacy or v2. */
export { jsocketServer } from './jsocket-server';
export type { JsocketServerOptions, JsocketHandler } from './jsocket-server';
export { jsocketClient } from './jsocket-client';
export type { JsocketClient, JsocketClientOptions } from './jsocket-client';
