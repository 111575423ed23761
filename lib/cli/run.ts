/**
 * The executable entry of `rxsocket` (bin/rxsocket.js loads its build): runs {@link main} on the
 * process's arguments and streams, then exits with its code once stdout and stderr are flushed
 * (stdin, if it was read, must not keep the process alive).
 */
import { processIo } from './cli-io';
import { describeError } from './describe';
import { main } from './main';

/** Exits with `code` after everything written so far to stdout and stderr has been handed over. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A reader that went away (`rxsocket listen ... | head`) ends the command quietly, as netcat does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));
}

main(process.argv.slice(2), processIo()).then(exitAfterFlush, (error: unknown) => {
  process.stderr.write(`rxsocket: ${describeError(error)}\n`);
  exitAfterFlush(1);
});
