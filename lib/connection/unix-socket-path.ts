import { connect } from 'node:net';
import { lstat, unlink } from 'node:fs/promises';
import { SocketPathTooLongError } from '../errors';

/**
 * The longest Unix socket path the platform takes, in bytes: `sun_path` holds 108 bytes on Linux
 * (104 on macOS and the BSDs), the last one a NUL. Undefined on Windows, where a path names a pipe.
 */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number | undefined {
  switch (platform) {
    case 'win32':
      return undefined;
    case 'darwin':
    case 'freebsd':
    case 'openbsd':
    case 'netbsd':
      return 103;
    default:
      return 107;
  }
}

/** Throws SocketPathTooLongError if `path` is longer than the platform allows (the kernel would cut it). */
export function checkSocketPath(path: string): void {
  const max = maxSocketPathBytes();
  const bytes = Buffer.byteLength(path);
  if (max !== undefined && bytes > max) throw new SocketPathTooLongError(path, bytes, max);
}

/**
 * After `listen` on a Unix socket path failed with EADDRINUSE: if the path is a socket file that
 * nobody accepts on (left by a dead server), removes it and returns true so the caller listens
 * again. A live socket (someone accepts) or any other kind of file is left alone: false.
 */
export async function removeStaleSocket(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => null);
  if (stats === null || !stats.isSocket()) return false;
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED'));
  });
  if (live) return false;
  await unlink(path);
  return true;
}
