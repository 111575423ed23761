import { connect } from 'node:net';
import { lstat, unlink } from 'node:fs/promises';

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
