/** The jsockd kit: starts a jsockd daemon, runs JavaScript commands on it over its Unix sockets. */
export { jsockd } from './jsockd';
export type { JsockdClient, JsockdRunOptions, JsockdRawRunOptions } from './jsockd-client';
export type { JsockdOptions, JsockdMessageHandler, JsockdRawMessageHandler } from './jsockd-options';
export { JSOCKD_DEFAULT_VERSIONS } from './jsockd-options';
export type { JsockdClosed } from './jsockd-session';
export type { JsockdExitStatus } from './daemon-process';
export type { JsockdLogEntry } from './log-parser';
export { JsockdLogParser } from './log-parser';
export { parseReplyLine, parseReadyLine } from './wire-lines';
export type { JsockdReply, JsockdReplyKind, JsockdReadyLine } from './wire-lines';
export { JsockdProtocolError, JsockdExceptionError, JsockdStartTimeoutError, JsockdVersionError } from './jsockd-errors';
export type { JsockdFailure } from './jsockd-errors';
