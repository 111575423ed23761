// `jsockd-run`: starts a jsockd daemon, runs one command (answering each question m with
// {"echo": m}), prints the result as JSON on one line, and closes everything.
import { catchError, finalize, lastValueFrom, map, mergeMap, of } from 'rxjs';
import { jsockd, JsockdExceptionError, RequestTimeoutError } from 'rxjs-socket';
import { demoArgs } from './demo-runtime';

const USAGE =
  'usage: jsockd-run [--jsockd PATH] [--threads N] [--expect-version V]... [--skip-version-check] [--timeout MS] <query> <json-param>\n' +
  '  --jsockd defaults to $JSOCKD, else jsockd on the PATH; --timeout bounds the command (default 30000 ms)';

type Outcome = { readonly result: unknown } | { readonly error: unknown };

function usage(problem: string): number {
  console.error(`${problem}\n${USAGE}`);
  return 2;
}

/**
 * `jsockd-run [--jsockd PATH] [--threads N] [--expect-version V]... [--skip-version-check] [--timeout MS] <query> <json-param>`.
 * Exit code 0 with the result printed; 1 for a JavaScript exception (printed on stderr) or any
 * other failure; 2 for bad usage. The daemon is `--jsockd`, else `$JSOCKD`, else `jsockd` on the
 * PATH. The accepted versions are `0.1.5` and `0.0.139` unless `--expect-version` (repeatable)
 * says otherwise. The daemon has 15 s to start and the command `--timeout` ms (30 s) to finish.
 *
 * @example
 * ```ts
 * process.exitCode = await jsockdRun(['--jsockd', '/usr/local/bin/jsockd', '(m, p) => p * 2', '21']); // prints 42
 * ```
 */
export async function jsockdRun(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = demoArgs(argv, {
      jsockd: { type: 'string' },
      threads: { type: 'string' },
      'expect-version': { type: 'string', multiple: true },
      'skip-version-check': { type: 'boolean' },
      timeout: { type: 'string' },
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [query, paramText] = positionals;
  if (query === undefined || paramText === undefined || positionals.length !== 2) return usage('needs a query and a JSON parameter');
  const command = values.jsockd ?? process.env.JSOCKD ?? 'jsockd';
  if (values['expect-version'] !== undefined && values['skip-version-check'] === true) {
    return usage('--expect-version and --skip-version-check exclude each other');
  }
  const threads = Number(values.threads ?? 1);
  if (!Number.isInteger(threads) || threads < 1) return usage(`bad --threads ${String(values.threads)}`);
  const commandTimeout = Number(values.timeout ?? 30_000);
  if (!Number.isInteger(commandTimeout) || commandTimeout < 1) return usage(`bad --timeout ${String(values.timeout)}`);
  let param: unknown;
  try {
    param = JSON.parse(paramText) as unknown;
  } catch (error) {
    return usage(`<json-param> is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }

  let outcome: Outcome;
  try {
    const client$ = jsockd({
      command,
      threads,
      expectVersion: values['expect-version'],
      skipVersionCheck: values['skip-version-check'] === true,
      commandTimeout,
      onMessage: (question) => ({ echo: question }),
    });
    // The client's Observable completes only once the daemon has exited and its directory is gone.
    outcome = await lastValueFrom(
      client$.pipe(
        mergeMap((client) =>
          client.run(query, param).pipe(
            map((result): Outcome => ({ result })),
            catchError((error: unknown) => of<Outcome>({ error })),
            finalize(() => client.close()),
          ),
        ),
      ),
    );
  } catch (error) {
    outcome = { error };
  }
  if ('result' in outcome) {
    console.log(JSON.stringify(outcome.result));
    return 0;
  }
  const { error } = outcome;
  if (error instanceof JsockdExceptionError) console.error(`JavaScript exception: ${error.json}`);
  else if (error instanceof RequestTimeoutError) console.error(`timed out after ${error.timeout} ms waiting for the command's result`);
  else console.error(error instanceof Error ? error.message : String(error));
  return 1;
}
