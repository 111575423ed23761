/**
 * The part of the WHATWG `WebSocket` API the browser entry uses, declared here so the package
 * compiles without the DOM library. The browser's `WebSocket` has it, and so does `ws`'s (tests
 * run the browser adapter on it in Node).
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes given to `send` and not yet sent to the network. */
  readonly bufferedAmount: number;
  /** The subprotocol the server chose ('' if none). */
  readonly protocol: string;
  /** How binary messages arrive: set to `'arraybuffer'`. */
  binaryType: string;
  /** Queues one message: a string as a text frame, bytes as a binary frame. */
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Listens to `open` and `error` (which carries no detail). */
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  /** Listens to messages: `data` is a string (text frame) or an ArrayBuffer (binary frame). */
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  /** Listens to the close, with its code and reason. */
  addEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
  /** Removes an `open` or `error` listener. */
  removeEventListener(type: 'open' | 'error', listener: () => void): void;
  /** Removes a `message` listener. */
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  /** Removes a `close` listener. */
  removeEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
}

/** A `WebSocket` constructor: the browser's global one by default. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The global `WebSocket` constructor, or undefined where there is none (Node 20). */
export function globalWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}
