import { Socket } from 'node:net';
import type { SocketAddress } from './connection';
import type { Addresses } from './connection-core';

/** The IP endpoint of a Node address, or undefined. */
function ipAddress(address: string | undefined, port: number | undefined, family: string | undefined): SocketAddress | undefined {
  if (address === undefined || port === undefined) return undefined;
  return { family: family === 'IPv6' ? 'IPv6' : 'IPv4', address, port };
}

/**
 * Both addresses of a socket: IP endpoints for TCP, the path for a Unix socket, else undefined.
 * `local`, when given, is this end's address already known (a server bound to one address: every
 * connection it accepts has that address), which saves a system call.
 */
export function addressesOf(socket: unknown, unixPath?: string, local?: SocketAddress): Addresses {
  if (unixPath !== undefined) {
    const unix: SocketAddress = { family: 'unix', path: unixPath };
    return [unix, unix];
  }
  if (!(socket instanceof Socket)) return [undefined, undefined];
  return [
    local ?? ipAddress(socket.localAddress, socket.localPort, socket.localFamily),
    ipAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily),
  ];
}

/**
 * What a server knows of the addresses of every connection it accepts, shared by all of them: its
 * Unix socket path, or the address it is bound to when that is one address (not a wildcard such
 * as `0.0.0.0`). A connection reads the rest from its socket on first use.
 */
export class ServerAddresses {
  /** Set once the server is bound, when it is bound to one address. */
  local: SocketAddress | undefined = undefined;

  constructor(readonly unixPath: string | undefined) {}

  /** The addresses of `socket`, one of this server's connections. */
  of(socket: unknown): Addresses {
    return addressesOf(socket, this.unixPath, this.local);
  }
}
