import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';

/** Something that can stop and restart reading: a connection. */
export interface Readable {
  pause(): void;
  resume(): void;
}

/**
 * Stdout with backpressure: `write` reports when the stream asks to wait for 'drain', and `full$`
 * tells the commands to stop reading their sockets until it drains, so a slow consumer of
 * `rxsocket listen ... | consumer` slows the peers down instead of growing the process.
 *
 * @example
 * ```ts
 * const stdout = new OutputGate(io.stdout);
 * stdout.full$.subscribe((full) => (full ? connection.pause() : connection.resume()));
 * stdout.write('line\n');
 * ```
 */
export class OutputGate {
  private readonly state = new BehaviorSubject(false);
  /** `true` while the stream holds more than its high-water mark; `false` once it drained. */
  readonly full$: Observable<boolean> = this.state.pipe(distinctUntilChanged());

  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Writes `text`; past the stream's high-water mark, `full$` turns true until 'drain'. */
  write(text: string): void {
    if (!this.stream.write(text) && !this.state.value) {
      this.state.next(true);
      this.stream.once('drain', () => this.state.next(false));
    }
  }
}

/**
 * Pauses a reader while any of its reasons holds (its destination is not writable, stdout is
 * full) and resumes it once none does.
 *
 * @example
 * ```ts
 * const gate = new ReadGate(client);
 * client.writable$.subscribe((writable) => gate.hold('echo', !writable));
 * ```
 */
export class ReadGate {
  private readonly reasons = new Set<string>();

  constructor(private readonly reader: Readable) {}

  /** Sets or clears one reason to stop reading. */
  hold(reason: string, on: boolean): void {
    const before = this.reasons.size;
    if (on) this.reasons.add(reason);
    else this.reasons.delete(reason);
    if (before === 0 && this.reasons.size > 0) this.reader.pause();
    else if (before > 0 && this.reasons.size === 0) this.reader.resume();
  }
}
