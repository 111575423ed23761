/**
 * rxsocket/testing: helpers for testing code built on rxsocket, from decoders up to whole server
 * pipelines in virtual time.
 */

// Marble tests of whole integrations
export { testConnection } from './test-connection';
export type { TestConnection, TestConnectionOptions } from './test-connection';
export { testServer } from './test-server';
export { connectionReset } from './connection-reset';

// Errors in assertions
export { typedError } from './typed-error';
export type { ErrorClass, ErrorMatcher, ErrorPattern } from './typed-error';
export { plainError } from './plain-error';
export type { PlainError } from './plain-error';

// In-memory sockets
export { connectionPair } from './connection-pair';
export type { ConnectionPair, ConnectionPairOptions } from './connection-pair';
export { wirePair } from './wire-pair';
export type { Wire, WirePair, WirePairOptions, WireSide } from './wire-pair';
export type { Chunking, WireLane } from './wire-lane';
export { duplexPair } from './duplex-pair';
export { settle } from './settle';

// Bytes
export { rechunk, splitsAtEveryOffset, joinBytes } from './chunking';
