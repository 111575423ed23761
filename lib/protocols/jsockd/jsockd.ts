import { Observable } from 'rxjs';
import { createJsockdClient, type JsockdClient } from './jsockd-client';
import { resolveJsockdOptions, type JsockdOptions } from './jsockd-options';
import { JsockdSession } from './jsockd-session';

/**
 * A jsockd daemon as a cold Observable of its client. Subscribing creates a fresh short socket
 * directory, starts `jsockd -b 00 [-m MODULE] [-t US] [-i US] -s -- SOCK_0 ... SOCK_{N-1}`, waits
 * for `READY <n> <version>` on stdout (checks the version; JsockdStartTimeoutError after
 * `startTimeout`), connects to the first n sockets and emits the {@link JsockdClient}.
 *
 * The Observable completes after `client.close()`, and errors with the first fatal error
 * (JsockdProtocolError, JsockdVersionError, JsockdStartTimeoutError, ConnectTimeoutError, or
 * Node's own spawn or connect error) — in both cases only once everything is cleaned up: `?quit`
 * sent (to an idle socket) and the sockets closed, the process exited (SIGTERM, then SIGKILL, each
 * after `closeTimeout`), the socket directory removed. Unsubscribing starts the same shutdown;
 * `client.closed$` tells when it is over. Option errors are thrown at once (InvalidOptionError).
 *
 * @example
 * ```ts
 * jsockd({ command: '/usr/local/bin/jsockd', threads: 4, onMessage: (question) => ({ echo: question }) })
 *   .pipe(switchMap((client) => client.run('(m, p) => JSockD.sendMessage(p)', 'hi')))
 *   .subscribe((result) => console.log(result)); // { echo: 'hi' }
 * ```
 */
export function jsockd(options: JsockdOptions): Observable<JsockdClient> {
  const resolved = resolveJsockdOptions(options);
  return new Observable<JsockdClient>((subscriber) => {
    const session: JsockdSession = new JsockdSession(resolved, {
      ready: (dispatcher) => subscriber.next(createJsockdClient(session, dispatcher, resolved)),
      finished: (failure) => (failure === undefined ? subscriber.complete() : subscriber.error(failure)),
    });
    session.start();
    return () => session.close();
  });
}
