/** One log message of the daemon, its continuation lines joined. */
export interface JsockdLogEntry {
  /**
   * ISO-8601 UTC time with microseconds, as the daemon wrote it (`0000-00-00T00:00:00.000000Z`
   * when it had none); for a pass-through line, the time the client read it.
   */
  readonly timestamp: string;
  /** `INFO`, `WARN`, `ERROR` (`DEBUG` in debug builds); `INFO` for a pass-through line. */
  readonly level: string;
  /** The message; the lines of a multi-line message joined with `\n`. */
  readonly message: string;
}

/** `<P> jsockd <timestamp> [<LEVEL>] <message>`, P being `*` (continues) or `$` (last line). */
const LOG_LINE = /^([*$]) jsockd (\S+) \[([^\]]+)\] ?(.*)$/s;

interface Pending {
  readonly timestamp: string;
  readonly level: string;
  readonly lines: string[];
}

/**
 * Turns the daemon's stderr lines into log entries. Lines of one message (`*` lines, then a `$`
 * line, sharing timestamp and level) become one entry. Any other non-empty line passes through at
 * once as an `INFO` entry, even in the middle of a multi-line message. A message cut short (a
 * `*` line followed by a line of another timestamp or level, or by the end) is delivered as it
 * stands. Pure: no I/O, no timers.
 *
 * @example
 * ```ts
 * const parser = new JsockdLogParser(() => new Date().toISOString());
 * parser.push('* jsockd 2025-09-24T21:15:45.644776Z [ERROR] first'); // []
 * parser.push('$ jsockd 2025-09-24T21:15:45.644776Z [ERROR] second'); // [{ ..., message: 'first\nsecond' }]
 * ```
 */
export class JsockdLogParser {
  private pending: Pending | null = null;

  constructor(
    /** The timestamp given to pass-through lines. */
    private readonly now: () => string,
  ) {}

  /** Consumes one line (without its LF) and returns the entries it completes. */
  push(line: string): JsockdLogEntry[] {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    const match = LOG_LINE.exec(text);
    if (match === null) return text === '' ? [] : [{ timestamp: this.now(), level: 'INFO', message: text }];
    const [, prefix, timestamp, level, message] = match as unknown as [string, string, string, string, string];
    const out: JsockdLogEntry[] = [];
    let pending = this.pending;
    if (pending !== null && (pending.timestamp !== timestamp || pending.level !== level)) {
      out.push(this.flush(pending));
      pending = null;
    }
    if (pending === null) pending = this.pending = { timestamp, level, lines: [] };
    pending.lines.push(message);
    if (prefix === '$') out.push(this.flush(pending));
    return out;
  }

  /** Signals the end of stderr: returns a message left unfinished, if any. */
  end(): JsockdLogEntry[] {
    return this.pending === null ? [] : [this.flush(this.pending)];
  }

  private flush(pending: Pending): JsockdLogEntry {
    this.pending = null;
    return { timestamp: pending.timestamp, level: pending.level, message: pending.lines.join('\n') };
  }
}
