import { InvalidOptionError } from '../errors';
import type { Framing } from '../framing/framing';
import { parseCodecName, type CodecName } from './message-format';
import { FRAMING_FORMS, parseFraming } from './parse-framing';

/** The options every command shares, in the shape `util.parseArgs` takes. */
export const SHARED_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  framing: { type: 'string' },
  codec: { type: 'string' },
} as const;

/**
 * A TCP endpoint, as `--target` gives it.
 *
 * @example
 * ```ts
 * const target: HostPort = { host: '127.0.0.1', port: 7000 };
 * ```
 */
export interface HostPort {
  /** Host name or address. */
  readonly host: string;
  /** Port number. */
  readonly port: number;
}

/**
 * The framing and codec of `--framing` (required) and `--codec` (default `utf8`).
 *
 * @example
 * ```ts
 * const { framing, codec } = framingAndCodec({ framing: 'lines', codec: undefined }); // codec 'utf8'
 * ```
 */
export function framingAndCodec(values: { framing?: string; codec?: string }): { framing: Framing; codec: CodecName } {
  if (values.framing === undefined) throw new InvalidOptionError('--framing', undefined, `given: ${FRAMING_FORMS}`);
  return { framing: parseFraming(values.framing), codec: parseCodecName(values.codec ?? 'utf8') };
}

/**
 * A port number from its text: an integer up to 65535, and above 0 unless `allowZero` (a free
 * port, for servers).
 *
 * @example
 * ```ts
 * parsePort('--port', '8080', false); // 8080
 * ```
 */
export function parsePort(option: string, text: string, allowZero: boolean): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535 && (allowZero || port > 0))) {
    throw new InvalidOptionError(option, text, allowZero ? 'a port from 0 (any free port) to 65535' : 'a port from 1 to 65535');
  }
  return port;
}

/**
 * `HOST:PORT` (an IPv6 address in brackets: `[::1]:8080`) as a host and a port.
 *
 * @example
 * ```ts
 * parseHostPort('--target', 'example.com:443'); // { host: 'example.com', port: 443 }
 * ```
 */
export function parseHostPort(option: string, text: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  if (match === null || host === undefined) throw new InvalidOptionError(option, text, 'HOST:PORT (IPv6 as [ADDRESS]:PORT)');
  return { host, port: parsePort(option, match[3] as string, false) };
}

/**
 * Fails when two options that exclude each other are both given.
 *
 * @example
 * ```ts
 * exclusive('--port', values.port, '--path', values.path);
 * ```
 */
export function exclusive(first: string, firstValue: unknown, second: string, secondValue: unknown): void {
  if (firstValue !== undefined && firstValue !== false && secondValue !== undefined && secondValue !== false) {
    throw new InvalidOptionError(first, firstValue, `left out when ${second} is given`);
  }
}

/**
 * Whether `error` is a mistake on the command line (exit code 2): an InvalidOptionError, or one of
 * the `ERR_PARSE_ARGS_*` errors of `util.parseArgs`.
 *
 * @example
 * ```ts
 * isUsageError(new InvalidOptionError('--port', 'x', 'a port')); // true
 * ```
 */
export function isUsageError(error: unknown): boolean {
  if (error instanceof InvalidOptionError) return true;
  // Checked by code, not by class: Node's errors may come from another realm (a test sandbox).
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
