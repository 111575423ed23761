import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** What `authorize` decides: `true` accepts; `false` refuses with 401; a number refuses with that HTTP status. */
export type AuthorizeResult = boolean | number;

/**
 * Which page origins may open a WebSocket: a list of exact origins (`'https://dash.example.com'`),
 * `'*'` for any, or a function. By default, requests without an `Origin` header (programs, not
 * browsers) and pages of the server's own origin (the `Origin` host equals the `Host` header) are
 * accepted; any other page is refused with 403.
 */
export type OriginPolicy = readonly string[] | '*' | ((origin: string | undefined, request: IncomingMessage) => boolean);

/** Whether the upgrade `request` comes from an allowed origin. */
export function originAllowed(policy: OriginPolicy | undefined, request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (policy === '*') return true;
  if (typeof policy === 'function') return policy(origin, request);
  if (policy !== undefined) return origin !== undefined && policy.includes(origin);
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** The status an `authorize` result refuses with, or null when it accepts. */
export function refusalOf(result: AuthorizeResult): number | null {
  if (result === true) return null;
  if (result === false) return 401;
  return Number.isInteger(result) && result >= 400 && result <= 599 ? result : 500;
}

/** Answers an upgrade request with an HTTP error status and closes its socket. */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  const text = STATUS_CODES[status] ?? 'Refused';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
