/**
 * What one connection has carried so far, counted as it happens (a few integer additions per
 * message, nothing more): read by {@link connectionStats} and {@link serverStats} when sampled.
 *
 * @example
 * ```ts
 * const { messagesIn, bytesIn } = connection.traffic ?? { messagesIn: 0, bytesIn: 0 };
 * ```
 */
export interface ConnectionTraffic {
  /** Messages decoded and delivered to `messages$`. */
  readonly messagesIn: number;
  /** Bytes received (framing included; for WebSocket, message payloads). */
  readonly bytesIn: number;
  /** Messages accepted by the sink (queued to be written). */
  readonly messagesOut: number;
  /** Encoded payload bytes accepted by the sink (framing headers not included). */
  readonly bytesOut: number;
}

/** The mutable counters behind {@link ConnectionTraffic}. Internal. */
export class TrafficCounters implements ConnectionTraffic {
  messagesIn = 0;
  bytesIn = 0;
  messagesOut = 0;
  bytesOut = 0;
}
