/**
 * rxsocket/testing: helpers for testing code built on rxsocket.
 */
export { rechunk, splitsAtEveryOffset, joinBytes } from './chunking';
export { plainError } from './plain-error';
export type { PlainError } from './plain-error';
export { duplexPair } from './duplex-pair';
