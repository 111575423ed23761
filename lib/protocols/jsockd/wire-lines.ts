// The lines jsockd writes (reply lines on its sockets, READY on stdout) and the fields it reads.
import { DelimiterInPayloadError, FrameTooLargeError } from '../../errors';

/** The kinds of reply line a running command produces: a final `ok` / `exception`, or a question. */
export type JsockdReplyKind = 'ok' | 'exception' | 'message';

/** One parsed reply line `<id> <kind> <json>`; `json` is left as text. */
export interface JsockdReply {
  /** The id of the command it belongs to. */
  readonly id: string;
  /** `ok` (result), `exception` (the command threw) or `message` (a question to answer). */
  readonly kind: JsockdReplyKind;
  /** The JSON payload, as text. */
  readonly json: string;
}

const REPLY = /^([^ ]{1,32}) (ok|exception|message) (.*)$/s;
const READY = /^READY ([0-9]+) (\S+)$/;

/**
 * Parses a reply line (LF already removed), or returns null if it is not one.
 *
 * @example
 * ```ts
 * parseReplyLine('7 ok {"a":1}'); // { id: '7', kind: 'ok', json: '{"a":1}' }
 * ```
 */
export function parseReplyLine(line: string): JsockdReply | null {
  const match = REPLY.exec(line);
  if (match === null) return null;
  return { id: match[1] as string, kind: match[2] as JsockdReplyKind, json: match[3] as string };
}

/** What a valid `READY <n> <version>` line says. */
export interface JsockdReadyLine {
  /** Threads the daemon runs (>= 1): the first n sockets are used. */
  readonly threads: number;
  /** The daemon's version. */
  readonly version: string;
}

/**
 * Parses the daemon's first stdout line, or returns null if it is not `READY <n> <version>`.
 *
 * @example
 * ```ts
 * parseReadyLine('READY 4 0.0.139'); // { threads: 4, version: '0.0.139' }
 * ```
 */
export function parseReadyLine(line: string): JsockdReadyLine | null {
  const match = READY.exec(line);
  if (match === null) return null;
  return { threads: Number(match[1]), version: match[2] as string };
}

/** The character that separates fields on the wire (`-b 00`); it may appear in no field. */
const SEPARATOR = '\u0000';

/**
 * Why `text` cannot be sent as one field (it holds the separator, or passes `maxBytes`), or
 * undefined if it can. Checked before sending: the connection would fail as a whole otherwise.
 */
export function fieldProblem(text: string, maxBytes: number): DelimiterInPayloadError | FrameTooLargeError | undefined {
  const at = text.indexOf(SEPARATOR);
  if (at !== -1) return new DelimiterInPayloadError(Buffer.byteLength(text.slice(0, at)));
  const bytes = Buffer.byteLength(text);
  return bytes > maxBytes ? new FrameTooLargeError(bytes, maxBytes) : undefined;
}
