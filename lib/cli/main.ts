import { parseConnectArgs, runConnect } from './connect-command';
import { isUsageError } from './args';
import type { CliIo } from './cli-io';
import { CONNECT_HELP, LISTEN_HELP, MAIN_HELP, PROXY_HELP } from './help';
import { parseListenArgs, runListen } from './listen-command';
import { parseProxyArgs, runProxy } from './proxy-command';

/** One subcommand: its help, and its parser, which returns `'help'` or what runs the command. */
interface Command {
  readonly help: string;
  parse(argv: readonly string[]): 'help' | ((io: CliIo) => Promise<number>);
}

/** A {@link Command} from a parser of its options and a runner taking them. */
function command<Options>(
  help: string,
  parse: (argv: readonly string[]) => Options | 'help',
  run: (options: Options, io: CliIo) => Promise<number>,
): Command {
  return {
    help,
    parse(argv) {
      const options = parse(argv);
      return options === 'help' ? 'help' : (io) => run(options, io);
    },
  };
}

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['listen', command(LISTEN_HELP, parseListenArgs, runListen)],
  ['connect', command(CONNECT_HELP, parseConnectArgs, runConnect)],
  ['proxy', command(PROXY_HELP, parseProxyArgs, runProxy)],
]);

function usageFailure(io: CliIo, message: string, command: string | undefined): number {
  io.stderr.write(`rxsocket: ${message}\nRun 'rxsocket${command === undefined ? '' : ` ${command}`} --help' for usage.\n`);
  return 2;
}

/**
 * The `rxsocket` command: `listen`, `connect` or `proxy`, with `argv` being the arguments after
 * the program name. Help goes to stdout (exit 0). A bad command line is explained on stderr and
 * resolves 2; otherwise it resolves with the command's exit code once it has finished and closed
 * everything it opened.
 *
 * @example
 * ```ts
 * const code = await main(['connect', '--port', '7000', '--framing', 'lines'], processIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(MAIN_HELP);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? COMMANDS.get(rest[0]) : undefined;
    if (name === 'help' && rest[0] !== undefined && topic === undefined) return usageFailure(io, `unknown command '${rest[0]}'`, undefined);
    io.stdout.write(topic?.help ?? MAIN_HELP);
    return 0;
  }
  const chosen = COMMANDS.get(name);
  if (chosen === undefined) return usageFailure(io, `unknown command '${name}' (listen, connect or proxy)`, undefined);
  let run: 'help' | ((io: CliIo) => Promise<number>);
  try {
    run = chosen.parse(rest);
  } catch (error) {
    if (isUsageError(error)) return usageFailure(io, (error as Error).message, name);
    throw error;
  }
  if (run === 'help') {
    io.stdout.write(chosen.help);
    return 0;
  }
  return run(io);
}
