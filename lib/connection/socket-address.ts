import { Socket } from 'node:net';
import type { SocketAddress } from './connection';
import type { Addresses } from './connection-core';

/** The IP endpoint of a Node address, or undefined. */
function ipAddress(address: string | undefined, port: number | undefined, family: string | undefined): SocketAddress | undefined {
  if (address === undefined || port === undefined) return undefined;
  return { family: family === 'IPv6' ? 'IPv6' : 'IPv4', address, port };
}

/** Both addresses of a socket: IP endpoints for TCP, the path for a Unix socket, else undefined. */
export function addressesOf(socket: unknown, unixPath?: string): Addresses {
  if (unixPath !== undefined) {
    const unix: SocketAddress = { family: 'unix', path: unixPath };
    return [unix, unix];
  }
  if (!(socket instanceof Socket)) return [undefined, undefined];
  return [
    ipAddress(socket.localAddress, socket.localPort, socket.localFamily),
    ipAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily),
  ];
}
